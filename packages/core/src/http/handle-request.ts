import type { TokenVerifier, VerifiedCaller } from '../auth/types.js';
import { TokenVerificationError } from '../auth/errors.js';
import { NotificationFormatError, StoreError } from '../errors.js';
import type { Logger } from '../logger.js';
import { readCallbackBody, type CallbackBodyReader } from './callback-body.js';
import { refuseContentType, refuseDeclaredLength } from './content-rules.js';
import { headerOf, type HeaderSource } from './headers.js';
import { callbackRefusal, type CallbackResponse } from './refusal.js';
import type { Telemetry } from '../telemetry/telemetry.js';

export { callbackRefusal, type CallbackResponse } from './refusal.js';
export { BODY_READ_FAILURES, type BodyReadFailureCode, type CallbackBodyReader } from './callback-body.js';
export { isJsonContentType, refuseContentType } from './content-rules.js';

/** A callback's body in any of the forms {@link CallbackRequest.body} takes. */
export type CallbackBody = CallbackBodyReader | string | Uint8Array | unknown;

/** A callback request as any HTTP runtime can give it. */
export interface CallbackRequest {
  /** Header names in any case; Node's `IncomingHttpHeaders` and a fetch `Headers` both fit. */
  headers: HeaderSource;
  /**
   * The raw body (string or bytes), a body some middleware already parsed, or, best, a function
   * that reads it (`() => Promise<string | Uint8Array | unknown>`). A function is called only once
   * the bearer token was accepted, so a request without a valid token is refused before a byte of
   * its body is read or held. A reader that cannot deliver throws a `GraphCommsError` with code
   * `payload_too_large` (answered 413), `body_timeout` (408) or `body_incomplete` (400).
   */
  body: CallbackBody;
  /**
   * The largest body the adapter accepts, in bytes. When given, a request whose `Content-Length`
   * is above it is answered 413 from its headers alone, before the token is checked. (The reader
   * still has to enforce the limit on what really arrives.)
   */
  limit?: number;
}

/** What `handleCallback` needs of the bot. */
export interface CallbackTarget {
  verifier: TokenVerifier | undefined;
  process(body: unknown, caller: VerifiedCaller | undefined): Promise<unknown>;
  logger: Logger;
  /** Where the callback's span, status and duration go; none when left out. */
  telemetry?: Telemetry | undefined;
}

/**
 * The runtime-neutral callback endpoint: checks the content type, verifies the bearer token (from
 * the headers alone), only then reads the body when it is given as a reader, parses and validates
 * it, applies it, and says which HTTP answer to give.
 */
export function handleCallback(target: CallbackTarget, request: CallbackRequest): Promise<CallbackResponse> {
  return target.telemetry ? target.telemetry.callback(target, request, handleUntraced) : handleUntraced(target, request);
}

/** {@link handleCallback} without its telemetry: what a `Telemetry` runs within its span. */
async function handleUntraced(target: CallbackTarget, request: CallbackRequest): Promise<CallbackResponse> {
  const refused = refuseContentType(request.headers) ?? refuseDeclaredLength(request.headers, request.limit);
  if (refused) {
    // The reason, not the headers: they are the client's and may carry anything (a token, too).
    const message = refused.status === 415 ? 'callback refused: not an uncompressed JSON body' : 'callback refused: declared body larger than the limit';
    target.logger.warn({ reason: refused.body?.error.code, status: refused.status, ...(refused.status === 413 ? { limit: request.limit } : {}) }, message);
    return refused;
  }
  let caller: VerifiedCaller | undefined;
  if (target.verifier) {
    try {
      caller = await target.verifier.verify(headerOf(request.headers, 'authorization'));
    } catch (error) {
      return tokenFailure(target.logger, error);
    }
  }
  const read = await readCallbackBody(request.body, target.logger);
  if ('refusal' in read) return read.refusal;
  try {
    await target.process(read.body, caller);
    return { status: 202 };
  } catch (error) {
    if (error instanceof NotificationFormatError) {
      target.logger.warn({ reason: error.code, path: error.path }, 'callback refused: not a commsNotifications body');
      return callbackRefusal(400, error.code, error.message);
    }
    if (error instanceof StoreError) {
      target.logger.error({ reason: error.code, err: error.cause instanceof Error ? error.cause.message : undefined }, 'callback not recorded; Graph will deliver it again');
      return callbackRefusal(503, error.code, 'the notification could not be recorded; deliver it again', { 'retry-after': '1' });
    }
    target.logger.error({ reason: 'internal_error', err: error instanceof Error ? error.message : String(error) }, 'callback failed');
    return callbackRefusal(500, 'internal_error', 'the callback could not be processed');
  }
}

function tokenFailure(logger: Logger, error: unknown): CallbackResponse {
  if (error instanceof TokenVerificationError && error.code === 'keys_unavailable') {
    // Not the token's fault: Graph should retry once the keys can be fetched again.
    logger.error({ reason: error.code }, 'callback not verified: signing keys unavailable');
    return callbackRefusal(503, error.code, 'the signing keys could not be fetched; deliver it again', { 'retry-after': '5' });
  }
  const code = error instanceof TokenVerificationError ? error.code : 'invalid_token';
  const message = error instanceof TokenVerificationError ? error.message : 'the bearer token could not be verified';
  logger.warn({ reason: code }, 'callback refused: bearer token not accepted');
  return callbackRefusal(401, code, message, { 'www-authenticate': `Bearer error="invalid_token", error_description="${code}"` });
}
