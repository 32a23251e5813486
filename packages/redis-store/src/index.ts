/**
 * `@graph-comms/redis-store`: a Redis CallStore for `@graph-comms/core`, with which several
 * bot processes behind one callback URL act as one bot.
 * @module
 */
export { RedisCallStore } from './redis-call-store.js';
export type { RedisCallStoreOptions } from './options.js';
