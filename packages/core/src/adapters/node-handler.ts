import type { IncomingMessage, ServerResponse } from 'node:http';
import { bodyRules, type BodyOptions } from '../http/limits.js';
import { answerNodeCallback } from '../http/node-answer.js';
import { checkReceiver, type CallbackReceiver } from '../http/receiver.js';
import { checkPath, pathOf, type RouteOptions } from './routing.js';

/** Options of {@link createNodeHandler}. */
export interface NodeHandlerOptions extends BodyOptions, RouteOptions {}

/**
 * A `node:http` request listener that is also connect-style middleware: `next`, when given, is
 * called for a request that is not a callback (another path, or not a POST).
 */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/**
 * The callback endpoint for Node's own HTTP server, or for any connect-style framework:
 * `http.createServer(createNodeHandler(bot, { path: '/api/calls' }))`, or `app.use(handler)`.
 * Answers 202, 400, 401, 408, 413, 415 or 503 as `bot.handleRequest` decides, and a request that is
 * not a callback 404 (another path) or 405 (not a POST) when there is no `next`.
 *
 * The body is read only once the bearer token was accepted, with the limit and the timeout of
 * `options`; a request refused before its body arrived is answered at once and its connection
 * closed. A body that a parser already produced is used as it is.
 *
 * Throws `TypeError` at once on a bot without `handleRequest`, or an invalid option.
 */
export function createNodeHandler(bot: CallbackReceiver, options: NodeHandlerOptions = {}): NodeHandler {
  checkReceiver(bot, 'createNodeHandler');
  const rules = bodyRules(options, 'createNodeHandler');
  const path = checkPath(options.path, 'createNodeHandler');
  return (req, res, next) => {
    const elsewhere = path !== undefined && pathOf(req.url) !== path;
    if (elsewhere || req.method !== 'POST') {
      if (next) return next();
      const headers = elsewhere ? { connection: 'close' } : { allow: 'POST', connection: 'close' };
      return void res.writeHead(elsewhere ? 404 : 405, headers).end();
    }
    void answerNodeCallback(bot, req, res, rules);
  };
}
