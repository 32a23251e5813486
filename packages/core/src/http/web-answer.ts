import type { CallbackResponse } from './handle-request.js';
import type { BodyRules } from './limits.js';
import type { CallbackReceiver } from './receiver.js';
import { callbackRefusal } from './refusal.js';
import { webBodyReader, type WebBodySource } from './web-body.js';

/** The parts of a fetch `Request` a callback needs; a `Request` and Azure Functions' `HttpRequest` fit. */
export interface WebCallbackRequest extends WebBodySource {
  /** The request's headers. */
  readonly headers: Headers;
}

/**
 * Answers one callback given as a fetch `Request`: has `bot.handleRequest` check the headers and
 * the token, gives it a reader of `request.body` (with `rules`) that it calls only once the token
 * passed, and turns the answer into a `Response`. Never rejects.
 */
export async function answerWebCallback(bot: CallbackReceiver, request: WebCallbackRequest, rules: BodyRules): Promise<Response> {
  const reader = webBodyReader(request, rules);
  let answer: CallbackResponse;
  try {
    answer = await bot.handleRequest({ headers: request.headers, body: reader.read, limit: rules.limit });
  } catch {
    // handleRequest answers every failure itself; this is a receiver that broke that promise.
    answer = callbackRefusal(500, 'internal_error', 'the callback could not be processed');
  }
  return toWebResponse(answer, !reader.complete);
}

/**
 * An answer as a `Response` with a JSON body. `closeConnection` (the body was not read to its end)
 * adds `Connection: close`, which servers that write to a socket (Node, `@hono/node-server`) honour
 * and others may ignore.
 */
export function toWebResponse(answer: CallbackResponse, closeConnection: boolean): Response {
  const headers = new Headers(answer.headers);
  if (closeConnection) headers.set('connection', 'close');
  if (!answer.body) return new Response(null, { status: answer.status, headers });
  headers.set('content-type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers });
}
