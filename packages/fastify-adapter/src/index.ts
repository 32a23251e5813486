/**
 * `@graph-comms/fastify-adapter`: the Fastify 5 plugin that receives Microsoft Graph calling
 * callbacks for a `@graph-comms/core` bot.
 * @module @graph-comms/fastify-adapter
 */
export { graphCommsCallbacks, type GraphCommsCallbacksOptions } from './plugin.js';
