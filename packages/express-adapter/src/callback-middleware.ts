import type { CallbackRequest, CallbackResponse } from '@graph-comms/core';
import { callbackRefusal, refuseContentType } from '@graph-comms/core';
import type { Request, RequestHandler, Response } from 'express';
import { parseLimit, readBody } from './read-body.js';

/** Options of {@link createCallbackMiddleware}. */
export interface CallbackMiddlewareOptions {
  /** The largest body accepted, in bytes or as `'1mb'`, `'512kb'`. Default 1 MB. */
  limit?: number | string;
}

/** What the middleware needs of a bot: its framework-neutral entry point. */
export interface CallbackReceiver {
  handleRequest(request: CallbackRequest): Promise<CallbackResponse>;
}

/**
 * The Express request handler for a bot's callback route:
 * `app.post('/api/calls', createCallbackMiddleware(bot))`. Works whether or not the app has
 * already parsed JSON bodies; answers 202, 400, 401, 413, 415 or 503 as `handleRequest` decides.
 */
export function createCallbackMiddleware(bot: CallbackReceiver, options: CallbackMiddlewareOptions = {}): RequestHandler {
  const limit = parseLimit(options.limit ?? 1024 * 1024);
  return async (req: Request, res: Response): Promise<void> => {
    // Refused before the body is read.
    const unsupported = refuseContentType(req.headers);
    if (unsupported) return send(res, unsupported);

    let body: unknown;
    if (alreadyParsed(req)) {
      body = req.body;
    } else {
      const read = await readBody(req, limit);
      if (read === 'too_large') return send(res, callbackRefusal(413, 'payload_too_large', `the body is larger than ${limit} bytes`), true);
      if (read === 'aborted') return; // the client went away; nobody to answer
      body = read;
    }
    send(res, await bot.handleRequest({ headers: req.headers, body }));
  };
}

// Another parser (express.json() mounted globally) consumed the stream and left the result.
const alreadyParsed = (req: Request): boolean => req.body !== undefined && (req.readableEnded || req.complete);

function send(res: Response, answer: CallbackResponse, close = false): void {
  if (answer.headers) res.set(answer.headers);
  // A body we stopped reading cannot be drained cheaply; close the connection instead.
  if (close) res.set('connection', 'close');
  if (answer.body) res.status(answer.status).json(answer.body);
  else res.status(answer.status).end();
}
