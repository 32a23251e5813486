import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { CallbackResponse } from './handle-request.js';
import type { BodyRules } from './limits.js';
import { readNodeBody } from './node-body.js';
import type { CallbackReceiver } from './receiver.js';
import { callbackRefusal } from './refusal.js';

/** What a body parser (`express.json()`, body-parser) may have added to a Node request. */
export interface ParsedBody {
  /** The body a parser already produced, if any. */
  body?: unknown;
}

/** A Node request, perhaps with a body a parser already produced. */
export type NodeCallbackRequest = IncomingMessage & ParsedBody;

// A parser mounted before the route consumed the stream and left its result.
const alreadyParsed = (req: NodeCallbackRequest): boolean => req.body !== undefined && (req.readableEnded || req.complete);

/**
 * Answers one callback on Node's `http` objects: has `bot.handleRequest` check the headers and the
 * token, gives it a reader of the body (with `rules`) that it calls only once the token passed,
 * and writes the answer. A body a parser already produced is used as it is. Never rejects.
 */
export async function answerNodeCallback(bot: CallbackReceiver, req: NodeCallbackRequest, res: ServerResponse, rules: BodyRules): Promise<void> {
  const body = alreadyParsed(req) ? req.body : () => readNodeBody(req, rules);
  let answer: CallbackResponse;
  try {
    answer = await bot.handleRequest({ headers: req.headers, body, limit: rules.limit });
  } catch {
    // handleRequest answers every failure itself; this is a receiver that broke that promise.
    answer = callbackRefusal(500, 'internal_error', 'the callback could not be processed');
  }
  sendNodeAnswer(req, res, answer);
}

/**
 * Writes an answer as JSON. A request whose body was not received in full (refused before or while
 * reading) gets `Connection: close`: its body cannot be drained cheaply, nor should an
 * unauthenticated client get to send it. Does nothing once the client is gone.
 */
export function sendNodeAnswer(req: IncomingMessage, res: ServerResponse, answer: CallbackResponse): void {
  if (res.headersSent || res.writableEnded || req.socket?.destroyed) return;
  // The usual answer, a bare 202 to a request read in full, needs no header object at all.
  if (!answer.body && !answer.headers && req.complete) return void res.writeHead(answer.status).end();
  const headers: OutgoingHttpHeaders = { ...answer.headers };
  if (!req.complete) headers['connection'] = 'close';
  if (!answer.body) return void res.writeHead(answer.status, headers).end();
  const text = JSON.stringify(answer.body);
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['content-length'] = Buffer.byteLength(text);
  res.writeHead(answer.status, headers).end(text);
}
