/**
 * `@graph-comms/express-adapter`: the Express middleware that receives Microsoft Graph calling
 * callbacks for a `@graph-comms/core` bot.
 * @module
 */
export { createCallbackMiddleware, type CallbackMiddlewareOptions, type CallbackReceiver } from './callback-middleware.js';
export { parseLimit } from './read-body.js';
