/**
 * `@graph-comms/redis-store`: a Redis CallStore for `@graph-comms/core`, with which several
 * bot processes behind one callback URL act as one bot, on one Redis or a Redis Cluster.
 * @module @graph-comms/redis-store
 */
export { RedisCallStore } from './redis-call-store.js';
export type { RedisCallStoreOptions } from './options.js';
export type { ClusterNodeAddress, RedisClusterConfig } from './cluster.js';
