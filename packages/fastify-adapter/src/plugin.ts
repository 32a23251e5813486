import { bodyRules, checkReceiver, readNodeBody, type BodyOptions, type CallbackReceiver } from '@graph-comms/core/http';
import type { FastifyPluginAsync } from 'fastify';

/** Options of {@link graphCommsCallbacks}, given to `app.register`. */
export interface GraphCommsCallbacksOptions extends BodyOptions {
  /** The bot whose callbacks these are (a `CallingBot`). */
  bot: CallbackReceiver;
  /** The callback route's path, such as `'/api/calls'` (under the `prefix` of `register`, if any). */
  path: string;
}

/**
 * The Fastify plugin that receives a bot's callbacks on `POST path`:
 * `app.register(graphCommsCallbacks, { bot, path: '/api/calls' })`. Answers 202, 400, 401, 408,
 * 413, 415 or 503 as `bot.handleRequest` decides.
 *
 * The body is read only once the bearer token was accepted, with `limit` and `bodyTimeoutMs`:
 * inside the plugin (and only there, as Fastify encapsulates it) a content-type parser that reads
 * nothing replaces Fastify's own, so that the route reads `request.raw` itself. A request refused
 * before its body arrived is answered at once and its connection closed.
 *
 * Registering fails with `TypeError` on a bot without `handleRequest`, a missing `path` or an
 * invalid option.
 */
export const graphCommsCallbacks: FastifyPluginAsync<GraphCommsCallbacksOptions> = async (app, options) => {
  const { bot, path, limit, bodyTimeoutMs } = options;
  checkReceiver(bot, 'graphCommsCallbacks');
  if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError("graphCommsCallbacks: path must be a string starting with '/', such as '/api/calls'");
  const rules = bodyRules({ limit, bodyTimeoutMs }, 'graphCommsCallbacks');

  // Fastify parses bodies before handlers run; here the stream is left for after the token check.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', async () => undefined);

  app.post(path, async (request, reply) => {
    const answer = await bot.handleRequest({ headers: request.headers, body: () => readNodeBody(request.raw, rules), limit: rules.limit });
    // A body not received in full cannot be drained cheaply, nor should an unauthenticated client get to send it.
    if (!request.raw.complete) reply.header('connection', 'close');
    return reply.code(answer.status).headers(answer.headers ?? {}).send(answer.body);
  });
};
