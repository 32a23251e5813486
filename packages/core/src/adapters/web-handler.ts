import { bodyRules, type BodyOptions } from '../http/limits.js';
import { checkReceiver, type CallbackReceiver } from '../http/receiver.js';
import { answerWebCallback, type WebCallbackRequest } from '../http/web-answer.js';
import { checkPath, pathOf, type RouteOptions } from './routing.js';

/** Options of {@link createWebHandler}. */
export interface WebHandlerOptions extends BodyOptions, RouteOptions {}

/** What {@link createWebHandler} takes: a fetch `Request`, or anything with its method, URL, headers and body stream. */
export interface WebHandlerRequest extends WebCallbackRequest {
  /** The request's method. */
  readonly method: string;
  /** The request's URL. */
  readonly url: string;
}

/** A fetch handler: `(request: Request) => Promise<Response>`. */
export type WebHandler = (request: WebHandlerRequest) => Promise<Response>;

/**
 * The callback endpoint for web-standard runtimes (Hono, Bun, Deno, Cloudflare Workers, Azure
 * Functions v4): `app.post('/api/calls', (c) => handler(c.req.raw))` or `Bun.serve({ fetch: handler })`.
 * Answers 202, 400, 401, 408, 413, 415 or 503 as `bot.handleRequest` decides, 405 to a method other
 * than POST, and 404 to a path other than `options.path` when that is given.
 *
 * `request.body` is read as a stream, only once the bearer token was accepted, with the limit and
 * the timeout of `options`; never with `request.json()`. A refusal given before the body was read
 * to its end carries `Connection: close`.
 *
 * Throws `TypeError` at once on a bot without `handleRequest`, or an invalid option.
 */
export function createWebHandler(bot: CallbackReceiver, options: WebHandlerOptions = {}): WebHandler {
  checkReceiver(bot, 'createWebHandler');
  const rules = bodyRules(options, 'createWebHandler');
  const path = checkPath(options.path, 'createWebHandler');
  return async (request) => {
    // Not a callback: its body is not read, so the connection is not kept for it either.
    const close: Record<string, string> = request.body === null ? {} : { connection: 'close' };
    if (path !== undefined && pathOf(request.url) !== path) return new Response(null, { status: 404, headers: close });
    if (request.method !== 'POST') return new Response(null, { status: 405, headers: { allow: 'POST', ...close } });
    return answerWebCallback(bot, request, rules);
  };
}
