import { createConsoleLogger, silentLogger, type Logger } from '@graph-comms/core';
import type { Redis } from 'ioredis';

/** Options of `new RedisCallStore(...)`. */
export interface RedisCallStoreOptions {
  /** A `redis://` or `rediss://` URL. Default `redis://127.0.0.1:6379` when `client` is not given either. */
  url?: string;
  /**
   * An ioredis client to use instead of `url`. The store does not quit it on `close()` (it is
   * yours), but it does quit the duplicate it opens for pub/sub. Give it
   * `enableOfflineQueue: false` and `maxRetriesPerRequest: 0` so that nothing is queued
   * while Redis is away; the store bounds every command by `commandTimeoutMs` regardless.
   */
  client?: Redis;
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
  if (options.url !== undefined && options.client !== undefined) throw new TypeError('RedisCallStore: give either url or client, not both');
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
