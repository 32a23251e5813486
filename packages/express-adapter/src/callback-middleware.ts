import { answerNodeCallback, bodyRules, checkReceiver, type BodyOptions, type CallbackReceiver } from '@graph-comms/core/http';
import type { RequestHandler } from 'express';

/** Options of {@link createCallbackMiddleware}: the body options every graph-comms adapter takes. */
export type CallbackMiddlewareOptions = BodyOptions;

/**
 * The Express (4 or 5) request handler for a bot's callback route:
 * `app.post('/api/calls', createCallbackMiddleware(bot))`. Answers 202, 400, 401, 408, 413, 415 or
 * 503 as `handleRequest` decides.
 *
 * The body is read only once the bearer token was accepted: a request without a valid token is
 * answered 401 at once, its body unread, and its connection closed, so unauthenticated clients
 * cannot make the bot hold their bodies. Works whether or not the app has already parsed JSON
 * bodies (but an `express.json()` mounted before this route reads every body before the token is
 * checked).
 *
 * Throws `TypeError` at once on a bot without `handleRequest`, or an invalid `limit` or `bodyTimeoutMs`.
 */
export function createCallbackMiddleware(bot: CallbackReceiver, options: CallbackMiddlewareOptions = {}): RequestHandler {
  checkReceiver(bot, 'createCallbackMiddleware');
  const rules = bodyRules(options, 'createCallbackMiddleware');
  return (req, res) => void answerNodeCallback(bot, req, res, rules);
}
