/**
 * `@graph-comms/core/http`: the runtime-neutral pieces a callback adapter is made of, for writing an
 * adapter for a runtime graph-comms does not serve yet. An adapter gives `bot.handleRequest` the
 * request's headers, a {@link CallbackBodyReader} ({@link readNodeBody} for a Node stream,
 * {@link webBodyReader} for a fetch body) and the `limit`, then writes the answer
 * ({@link sendNodeAnswer}, {@link toWebResponse}); {@link answerNodeCallback} and
 * {@link answerWebCallback} do all of that. Options are checked with {@link bodyRules}.
 * @module @graph-comms/core/http
 */
export type { CallbackRequest, CallbackResponse, CallbackBody } from './handle-request.js';
export { BODY_READ_FAILURES, type BodyReadFailureCode, type CallbackBodyReader } from './callback-body.js';
export { callbackRefusal } from './refusal.js';
export { isJsonContentType, refuseContentType, refuseDeclaredLength } from './content-rules.js';
export { headerOf, type HeaderSource } from './headers.js';
export { parseLimit, bodyRules, DEFAULT_BODY_LIMIT, DEFAULT_BODY_TIMEOUT_MS, type BodyOptions, type BodyRules } from './limits.js';
export { bodyTooLarge, bodyTimedOut, bodyIncomplete } from './body-failures.js';
export { checkReceiver, type CallbackReceiver } from './receiver.js';
export { readNodeBody } from './node-body.js';
export { answerNodeCallback, sendNodeAnswer, type NodeCallbackRequest, type ParsedBody } from './node-answer.js';
export { webBodyReader, type WebBodySource, type WebBodyReader } from './web-body.js';
export { answerWebCallback, toWebResponse, type WebCallbackRequest } from './web-answer.js';
export { createNodeHandler, type NodeHandler, type NodeHandlerOptions } from '../adapters/node-handler.js';
export { createWebHandler, type WebHandler, type WebHandlerOptions, type WebHandlerRequest } from '../adapters/web-handler.js';
export type { RouteOptions } from '../adapters/routing.js';
