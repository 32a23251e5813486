import type { CallbackRequest, CallbackResponse } from '@graph-comms/core';
import { callbackRefusal, GraphCommsError, refuseContentType } from '@graph-comms/core';
import type { Request, RequestHandler, Response } from 'express';
import { declaresTooLarge, parseLimit, readBody, type ReadBodyFailure } from './read-body.js';

/** Options of {@link createCallbackMiddleware}. */
export interface CallbackMiddlewareOptions {
  /** The largest body accepted, in bytes or as `'1mb'`, `'512kb'`. Default 1 MB. */
  limit?: number | string;
  /**
   * How long the body may take to arrive, in milliseconds, counted from when reading starts (right
   * after the token was accepted). A body still incomplete then is answered 408 `body_timeout` and
   * the connection is closed. Default 10 000.
   */
  bodyTimeoutMs?: number;
}

/** What the middleware needs of a bot: its framework-neutral entry point. */
export interface CallbackReceiver {
  handleRequest(request: CallbackRequest): Promise<CallbackResponse>;
}

const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/**
 * The Express request handler for a bot's callback route:
 * `app.post('/api/calls', createCallbackMiddleware(bot))`. Answers 202, 400, 401, 408, 413, 415 or
 * 503 as `handleRequest` decides.
 *
 * The body is read only once the bearer token was accepted: a request without a valid token is
 * answered 401 at once, its body unread, and its connection closed, so unauthenticated clients
 * cannot make the bot hold their bodies. Works whether or not the app has already parsed JSON
 * bodies (but an `express.json()` mounted before this route reads every body before the token is
 * checked).
 *
 * Throws `TypeError` at once on an invalid `limit` or `bodyTimeoutMs`.
 */
export function createCallbackMiddleware(bot: CallbackReceiver, options: CallbackMiddlewareOptions = {}): RequestHandler {
  const limit = parseLimit(options.limit ?? 1024 * 1024);
  const timeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError('bodyTimeoutMs must be a positive number of milliseconds');

  return async (req: Request, res: Response): Promise<void> => {
    // Refused from the headers alone, before the token is even checked.
    const unsupported = refuseContentType(req.headers);
    if (unsupported) return send(req, res, unsupported);
    if (declaresTooLarge(req, limit)) return send(req, res, tooLarge(limit));

    let aborted = false;
    const body = alreadyParsed(req)
      ? req.body
      : async (): Promise<Buffer> => {
          const read = await readBody(req, limit, timeoutMs);
          if (typeof read === 'string') {
            aborted = read === 'aborted';
            throw readFailure(read, limit, timeoutMs);
          }
          return read;
        };
    const answer = await bot.handleRequest({ headers: req.headers, body });
    if (aborted) return; // the client went away; nobody to answer
    send(req, res, answer);
  };
}

// Another parser (express.json() mounted globally) consumed the stream and left the result.
const alreadyParsed = (req: Request): boolean => req.body !== undefined && (req.readableEnded || req.complete);

const tooLarge = (limit: number): CallbackResponse => callbackRefusal(413, 'payload_too_large', `the body is larger than ${limit} bytes`);

/** What `handleRequest` turns into 413, 408 or 400 (the codes of core's `BODY_READ_FAILURES`). */
function readFailure(failure: ReadBodyFailure, limit: number, timeoutMs: number): GraphCommsError {
  if (failure === 'too_large') return new GraphCommsError('payload_too_large', `the body is larger than ${limit} bytes`);
  if (failure === 'timeout') return new GraphCommsError('body_timeout', `the body did not arrive within ${timeoutMs} ms`);
  return new GraphCommsError('body_incomplete', 'the body ended before it was complete');
}

function send(req: Request, res: Response, answer: CallbackResponse): void {
  if (answer.headers) res.set(answer.headers);
  // A body not (fully) received cannot be drained cheaply, nor should an unauthenticated client get
  // to send it: close the connection once the answer is out, instead of reading on.
  if (!req.complete) res.set('connection', 'close');
  if (answer.body) res.status(answer.status).json(answer.body);
  else res.status(answer.status).end();
}
