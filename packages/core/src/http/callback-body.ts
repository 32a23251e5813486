import { GraphCommsError } from '../errors.js';
import type { Logger } from '../logger.js';
import { callbackRefusal, type CallbackResponse } from './refusal.js';

/**
 * Reads a callback's body on demand: `handleCallback` calls it only once the bearer token was
 * accepted. Resolves with the raw body (string or bytes) or one a parser already produced. When it
 * cannot deliver, it throws a `GraphCommsError` whose code is one of {@link BODY_READ_FAILURES}.
 */
export type CallbackBodyReader = () => Promise<string | Uint8Array | unknown>;

/** The codes a {@link CallbackBodyReader} fails with, and the status each is answered with. */
export const BODY_READ_FAILURES = {
  /** The body is larger than the runtime's limit. */
  payload_too_large: 413,
  /** The body did not arrive in time. */
  body_timeout: 408,
  /** The body ended before its declared length, or the stream failed. */
  body_incomplete: 400,
} as const satisfies Record<string, CallbackResponse['status']>;

/** Code of a {@link CallbackBodyReader} failure. */
export type BodyReadFailureCode = keyof typeof BODY_READ_FAILURES;

// A Buffer decodes in place; Buffer.from() of a Uint8Array would copy the whole body first.
const utf8 = (bytes: Uint8Array): string => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('utf8');

/**
 * Turns a callback's body (raw, already parsed, or a {@link CallbackBodyReader}) into the parsed
 * body, or into the refusal to answer with: 400 for a body that is not JSON, and the status of
 * {@link BODY_READ_FAILURES} (500 for anything else) when a reader fails.
 */
export function readCallbackBody(body: unknown, logger: Logger): BodyRead | Promise<BodyRead> {
  if (typeof body !== 'function') return parseBody(body, logger);
  // A promise only while the reader reads: no async function, so one await fewer per callback.
  let reading: Promise<unknown>;
  try {
    reading = (body as CallbackBodyReader)();
  } catch (error) {
    return { refusal: readFailure(logger, error) };
  }
  return reading.then(
    (raw) => parseBody(raw, logger),
    (error: unknown) => ({ refusal: readFailure(logger, error) }),
  );
}

/** What {@link readCallbackBody} gives: the parsed body, or the refusal to answer with. */
export type BodyRead = { body: unknown } | { refusal: CallbackResponse };

function parseBody(raw: unknown, logger: Logger): BodyRead {
  if (typeof raw !== 'string' && !(raw instanceof Uint8Array)) return { body: raw };
  try {
    return { body: JSON.parse(typeof raw === 'string' ? raw : utf8(raw)) };
  } catch {
    logger.warn({ reason: 'invalid_json' }, 'callback refused: body is not JSON');
    return { refusal: callbackRefusal(400, 'invalid_json', 'the body is not valid JSON') };
  }
}

function readFailure(logger: Logger, error: unknown): CallbackResponse {
  if (error instanceof GraphCommsError && Object.hasOwn(BODY_READ_FAILURES, error.code)) {
    const code = error.code as BodyReadFailureCode;
    logger.warn({ reason: code, status: BODY_READ_FAILURES[code] }, 'callback refused: body not read');
    return callbackRefusal(BODY_READ_FAILURES[code], code, error.message);
  }
  logger.error({ reason: 'internal_error', err: error instanceof Error ? error.message : String(error) }, 'callback body could not be read');
  return callbackRefusal(500, 'internal_error', 'the callback could not be processed');
}
