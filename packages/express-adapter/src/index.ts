/**
 * `@graph-comms/express-adapter`: the Express 4 and 5 middleware that receives Microsoft Graph
 * calling callbacks for a `@graph-comms/core` bot.
 * @module @graph-comms/express-adapter
 */
export { createCallbackMiddleware, type CallbackMiddlewareOptions } from './callback-middleware.js';
export { parseLimit, type CallbackReceiver } from '@graph-comms/core/http';
