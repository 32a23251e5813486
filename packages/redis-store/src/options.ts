import { createConsoleLogger, silentLogger, type Logger } from '@graph-comms/core';
import type { Cluster, Redis } from 'ioredis';
import { checkClusterConfig, type RedisClusterConfig } from './cluster.js';

/** Options of `new RedisCallStore(...)`. */
export interface RedisCallStoreOptions {
  /** A `redis://` or `rediss://` URL. Default `redis://127.0.0.1:6379` when neither `client` nor `cluster` is given. */
  url?: string;
  /**
   * An ioredis client (a `Redis`, or a `Cluster`) to use instead of `url`. The store does not
   * quit it on `close()` (it is yours), but it does quit the connection it opens for pub/sub.
   * Give it `enableOfflineQueue: false` and `maxRetriesPerRequest: 0` (a Cluster also
   * `retryDelayOnFailover: 0`) so that nothing is queued or sent again while Redis is away; the
   * store bounds every command by `commandTimeoutMs` regardless.
   */
  client?: Redis | Cluster;
  /** A Redis Cluster to open instead of `url`: some of its nodes, and ioredis Cluster options. */
  cluster?: RedisClusterConfig;
  /** Prefix of every key and of the pub/sub channel. Default `graph-comms:`. */
  keyPrefix?: string;
  /** An ended call is kept this long after it ended, for late and repeated notifications. Default 15 minutes. */
  retentionMs?: number;
  /** A call with no update for this long expires. Default 24 hours. */
  idleTimeoutMs?: number;
  /** A Redis command with no answer by then fails (and `updateCall` with it). Default 2 000. */
  commandTimeoutMs?: number;
  /** Where connection losses (warn) and recoveries (info) are logged; a pino logger fits, `false` logs nothing. Default `createConsoleLogger()` (warn and error on stderr). */
  logger?: Logger | false;
}

/** The options with their defaults applied. */
export interface ResolvedOptions {
  keyPrefix: string;
  retentionMs: number;
  idleTimeoutMs: number;
  commandTimeoutMs: number;
  logger: Logger;
}

/** Applies defaults and refuses values that would make keys or timers meaningless. */
export function resolveOptions(options: RedisCallStoreOptions): ResolvedOptions {
  const given = (['url', 'client', 'cluster'] as const).filter((name) => options[name] !== undefined);
  if (given.length > 1) throw new TypeError(`RedisCallStore: give either url, client or cluster, not ${given.join(' and ')}`);
  if (options.cluster !== undefined) checkClusterConfig(options.cluster);
  if (options.url !== undefined && !/^rediss?:\/\//i.test(options.url)) throw new TypeError('RedisCallStore: url must start with redis:// or rediss://');
  const keyPrefix = options.keyPrefix ?? 'graph-comms:';
  if (typeof keyPrefix !== 'string') throw new TypeError('RedisCallStore: keyPrefix must be a string');
  return {
    keyPrefix,
    retentionMs: positive('retentionMs', options.retentionMs ?? 15 * 60_000),
    idleTimeoutMs: positive('idleTimeoutMs', options.idleTimeoutMs ?? 24 * 3_600_000),
    commandTimeoutMs: positive('commandTimeoutMs', options.commandTimeoutMs ?? 2_000),
    logger: options.logger === false ? silentLogger : (options.logger ?? createConsoleLogger()),
  };
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new TypeError(`RedisCallStore: ${name} must be a positive number`);
  return Math.ceil(value);
}
