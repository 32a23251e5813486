import type { TokenVerifier, VerifiedCaller } from '../auth/types.js';
import { TokenVerificationError } from '../auth/errors.js';
import { NotificationFormatError, StoreError } from '../errors.js';
import type { Logger } from '../logger.js';
import { readCallbackBody, type CallbackBodyReader } from './callback-body.js';
import { callbackRefusal, type CallbackResponse } from './refusal.js';

export { callbackRefusal, type CallbackResponse } from './refusal.js';
export { BODY_READ_FAILURES, type BodyReadFailureCode, type CallbackBodyReader } from './callback-body.js';

/** A callback's body in any of the forms {@link CallbackRequest.body} takes. */
export type CallbackBody = CallbackBodyReader | string | Uint8Array | unknown;

/** A callback request as any HTTP runtime can give it. */
export interface CallbackRequest {
  /** Header names in any case; Node's `IncomingHttpHeaders` and a fetch `Headers` both fit. */
  headers: Record<string, string | string[] | undefined> | Headers;
  /**
   * The raw body (string or bytes), a body some middleware already parsed, or, best, a function
   * that reads it (`() => Promise<string | Uint8Array | unknown>`). A function is called only once
   * the bearer token was accepted, so a request without a valid token is refused before a byte of
   * its body is read or held. A reader that cannot deliver throws a `GraphCommsError` with code
   * `payload_too_large` (answered 413), `body_timeout` (408) or `body_incomplete` (400).
   */
  body: CallbackBody;
}

/** What `handleCallback` needs of the bot. */
export interface CallbackTarget {
  verifier: TokenVerifier | undefined;
  process(body: unknown, caller: VerifiedCaller | undefined): Promise<unknown>;
  logger: Logger;
}

/** Reads one header from either header shape. */
function headerOf(headers: CallbackRequest['headers'], name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  let value = record[name];
  // A plain record from another runtime may spell names in any case; Node's are lower case.
  if (value === undefined) for (const key in record) if (key.toLowerCase() === name) value = record[key];
  return Array.isArray(value) ? value[0] : value;
}

/** Whether a content type is JSON (`application/json`, `application/*+json`, any parameters). */
export const isJsonContentType = (type: string): boolean => /^application\/([\w.-]+\+)?json\s*(;|$)/i.test(type.trim());

/** 415 for a body that is not JSON, checked before anything is read; undefined when acceptable. */
export function refuseContentType(headers: CallbackRequest['headers']): CallbackResponse | undefined {
  const contentType = headerOf(headers, 'content-type');
  if (contentType !== undefined && !isJsonContentType(contentType)) {
    return callbackRefusal(415, 'unsupported_media_type', `expected application/json, got ${contentType.slice(0, 100)}`);
  }
  const encoding = headerOf(headers, 'content-encoding');
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    return callbackRefusal(415, 'unsupported_encoding', `content-encoding ${encoding.slice(0, 40)} is not accepted`);
  }
  return undefined;
}

/**
 * The runtime-neutral callback endpoint: checks the content type, verifies the bearer token (from
 * the headers alone), only then reads the body when it is given as a reader, parses and validates
 * it, applies it, and says which HTTP answer to give.
 */
export async function handleCallback(target: CallbackTarget, request: CallbackRequest): Promise<CallbackResponse> {
  const unsupported = refuseContentType(request.headers);
  if (unsupported) return unsupported;
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
