import type { Logger } from '@graph-comms/core';
import { Redis, type RedisOptions } from 'ioredis';
import { isCluster, type RedisClient } from './client.js';
import { nodesConnected } from './nodes-connected.js';

/**
 * ioredis options for a store connection. Nothing waits for a Redis that is away: commands fail
 * at once instead of queueing (`enableOfflineQueue: false`), a command in flight when the
 * connection drops fails instead of waiting for the next connection (`maxRetriesPerRequest: 0`)
 * and is never sent again after a reconnect (`autoResendUnfulfilledCommands: false`), since a
 * write replayed after its caller gave up would apply a step whose events were never emitted.
 * Reconnection itself goes on forever, at most a second apart.
 */
export function failFastOptions(commandTimeoutMs: number): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(commandTimeoutMs, 1000),
    retryStrategy: reconnectDelay,
  };
}

/** Reconnects forever, at most a second apart. */
export const reconnectDelay = (attempt: number): number => Math.min(50 * attempt, 1000);

/** Opens the store's own connection to `url`. */
export function openConnection(url: string, commandTimeoutMs: number): Redis {
  return new Redis(url, failFastOptions(commandTimeoutMs));
}

/**
 * Resolves once the client can take commands: at once when ready, after the handshake while
 * one is under way (so that a store used right after construction works), and rejects at once
 * while Redis is away (reconnecting), so that callers fail fast.
 */
export function whenReady(redis: RedisClient, timeoutMs: number): Promise<void> {
  const status = redis.status;
  if (status === 'ready') return isCluster(redis) ? nodesConnected(redis, timeoutMs) : Promise.resolve();
  if (status === 'wait') redis.connect().catch(() => undefined); // lazyConnect client
  else if (status !== 'connecting' && status !== 'connect') return Promise.reject(new Error(`Redis connection is ${status}`));
  // Callers that arrive during one handshake share one wait (and one pair of listeners).
  let waiting = handshakes.get(redis);
  if (!waiting) {
    waiting = new Promise<void>((resolve, reject) => {
      const settle = (error?: Error): void => {
        clearTimeout(timer);
        handshakes.delete(redis);
        redis.off('ready', onReady);
        redis.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onReady = (): void => settle();
      const onClose = (): void => settle(new Error('Redis connection closed'));
      const timer = setTimeout(() => settle(new Error(`Redis not ready within ${timeoutMs} ms`)), timeoutMs);
      redis.once('ready', onReady);
      redis.once('close', onClose);
    });
    handshakes.set(redis, waiting);
  }
  return isCluster(redis) ? waiting.then(() => nodesConnected(redis, timeoutMs)) : waiting;
}

const handshakes = new WeakMap<RedisClient, Promise<void>>();

/**
 * Rejects when `promise` takes longer than `ms`. ioredis's `commandTimeout` does this for the
 * store's own connections; this also bounds a client the user passed in, whatever its options.
 */
export function timed<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Logs an outage once when it starts and once when it ends, rather than every reconnect
 * attempt; also keeps ioredis from printing "Unhandled error event" for connections we own.
 * On a Cluster, each node's loss is logged once, until a connection to it is made again.
 */
export function watchConnection(redis: RedisClient, name: string, logger: Logger): void {
  let down = false;
  redis.on('error', (error: Error) => {
    if (down) return;
    down = true;
    logger.warn({ connection: name, err: error.message }, 'Redis unreachable; callbacks are answered 503 until it is back');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ connection: name }, 'Redis reachable again');
  });
  if (!isCluster(redis)) return;
  const lost = new Set<string>();
  redis.on('node error', (error: Error, node: string) => {
    if (lost.has(node)) return;
    lost.add(node);
    logger.warn({ connection: name, node, err: error.message }, 'a Redis Cluster node is unreachable; updates of its calls are answered 503 until a replica takes over');
  });
  redis.on('+node', (node: Redis) => lost.delete(`${node.options.host}:${node.options.port}`));
}

/** Quits gracefully when Redis answers, and drops the sockets when it does not. */
export async function quit(redis: RedisClient, timeoutMs: number): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await timed(redis.quit(), timeoutMs, 'QUIT').catch(() => redis.disconnect());
}
