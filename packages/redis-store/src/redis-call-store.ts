import { KeyedQueue, StoreError, type CallRecord, type CallStore, type OperationOutcome, type OutcomeListener, type Step } from '@graph-comms/core';
import type { Redis } from 'ioredis';
import { openConnection, openSubscriber, quit, timed, watchConnection, whenReady } from './connection.js';
import { KeyLayout } from './keys.js';
import { resolveOptions, type RedisCallStoreOptions, type ResolvedOptions } from './options.js';
import { OutcomeBus } from './outcome-bus.js';
import { CLAIM_DUE, RELEASE_CONTEXT } from './scripts.js';
import { ttlOf } from './ttl.js';
import { failsAsStoreError, optimisticUpdate, parseRecord } from './update-call.js';

/**
 * A CallStore in Redis, with which several bot processes behind one callback URL act as one bot:
 * each call's record changes atomically wherever a callback lands, and operation outcomes reach
 * the process that sent the invite over pub/sub. Fails fast (StoreError, so a 503 to Graph,
 * which delivers again) while Redis is unreachable, and reconnects by itself.
 */
export class RedisCallStore implements CallStore {
  readonly #redis: Redis;
  readonly #ownsClient: boolean;
  readonly #options: ResolvedOptions;
  readonly #keys: KeyLayout;
  readonly #bus: OutcomeBus;
  // This process's updates of one call wait in line, so that they never race each other for the
  // same version in Redis: optimistic retries then only happen when another process wrote.
  readonly #lock = new KeyedQueue();
  readonly #gapListeners: Array<() => void> = [];
  #closed = false;

  constructor(options: RedisCallStoreOptions = {}) {
    this.#options = resolveOptions(options);
    const { commandTimeoutMs, logger } = this.#options;
    this.#ownsClient = options.client === undefined;
    this.#redis = options.client ?? openConnection(options.url ?? 'redis://127.0.0.1:6379', commandTimeoutMs);
    if (this.#ownsClient) watchConnection(this.#redis, 'commands', logger);
    this.#keys = new KeyLayout(this.#options.keyPrefix);
    // What was published while the subscriber was away is lost: the bot reads its awaited operations' records.
    const gap = (): void => {
      for (const listener of this.#gapListeners) listener();
    };
    this.#bus = new OutcomeBus(this.#keys.outcomes, () => openSubscriber(this.#redis, commandTimeoutMs, logger), logger, gap);
  }

  /** Atomic across processes; see `optimisticUpdate`. This process's updates of one call wait their turn. */
  updateCall<T>(callId: string, step: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
    return this.#lock.run(callId, async () => {
      await this.#ready();
      const { retentionMs, idleTimeoutMs, commandTimeoutMs, logger } = this.#options;
      const target = { redis: this.#redis, callId, key: this.#keys.call(callId), timeoutMs: commandTimeoutMs, logger, ttlOf: (record: CallRecord) => ttlOf(record, Date.now(), retentionMs, idleTimeoutMs) };
      return optimisticUpdate(target, step);
    });
  }

  async getCall(callId: string): Promise<CallRecord | undefined> {
    return this.#command(`could not read call ${callId}`, async (redis) => {
      const json = await redis.hget(this.#keys.call(callId), 'r');
      return json === null ? undefined : parseRecord(json, callId);
    });
  }

  /**
   * SET NX PX: the claim holds the call id and lapses by itself. Waits for the outcome
   * subscription first, so that this process hears the outcome of the invite it is about to send.
   */
  async reserveClientContext(clientContext: string, callId: string, ttlMs: number): Promise<boolean> {
    return this.#command(`could not reserve clientContext ${clientContext}`, async (redis) => {
      await this.#bus.subscribed;
      const px = Math.max(1, Math.ceil(ttlMs));
      return (await redis.set(this.#keys.clientContext(clientContext), callId, 'PX', px, 'NX')) === 'OK';
    });
  }

  /**
   * Frees a claim. With `callId` (an extension of the CallStore signature), only while the claim
   * is still that call's, so that a late release never frees another call's newer claim.
   */
  async releaseClientContext(clientContext: string, callId?: string): Promise<void> {
    await this.#command(`could not release clientContext ${clientContext}`, async (redis) => {
      const key = this.#keys.clientContext(clientContext);
      await (callId === undefined ? redis.del(key) : RELEASE_CONTEXT.run(redis, [key], [callId]));
    });
  }

  async publishOutcome(callId: string, clientContext: string, outcome: OperationOutcome): Promise<void> {
    await this.#command(`could not publish the outcome of ${clientContext}`, (redis) => redis.publish(this.#keys.outcomes, OutcomeBus.message(callId, clientContext, outcome)));
  }

  /** `onGap` is called each time the subscription came back after Redis was unreachable. */
  subscribeOutcomes(listener: OutcomeListener, onGap?: () => void): void {
    if (this.#closed) throw new StoreError('the store is closed');
    if (onGap) this.#gapListeners.push(onGap);
    this.#bus.subscribe(listener);
  }

  async scheduleKeepAlive(callId: string, dueAt: number): Promise<void> {
    await this.#command(`could not schedule the keepAlive of ${callId}`, (redis) => redis.zadd(this.#keys.keepAlives, 'NX', dueAt, callId));
  }

  async cancelKeepAlive(callId: string): Promise<void> {
    await this.#command(`could not cancel the keepAlive of ${callId}`, (redis) => redis.zrem(this.#keys.keepAlives, callId));
  }

  /** Atomic in one script: a due keepAlive goes to one process, however many poll. */
  async claimDueKeepAlives(now: number, nextDueAt: number, limit: number): Promise<string[]> {
    return this.#command('could not claim due keepAlives', async (redis) => {
      const due = await CLAIM_DUE.run(redis, [this.#keys.keepAlives], [now, nextDueAt, limit]);
      return Array.isArray(due) ? due.filter((id): id is string => typeof id === 'string') : [];
    });
  }

  /** Quits the pub/sub connection, and the command connection unless it was passed in as `client`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const { commandTimeoutMs } = this.#options;
    const subscriber = this.#bus.subscriber;
    await Promise.all([subscriber ? quit(subscriber, commandTimeoutMs) : undefined, this.#ownsClient ? quit(this.#redis, commandTimeoutMs) : undefined]);
  }

  async #ready(): Promise<void> {
    if (this.#closed) throw new StoreError('the store is closed');
    await failsAsStoreError(whenReady(this.#redis, this.#options.commandTimeoutMs), 'Redis is unreachable');
  }

  /** One bounded round of commands; any failure becomes a StoreError. */
  async #command<T>(what: string, run: (redis: Redis) => Promise<T>): Promise<T> {
    await this.#ready();
    return failsAsStoreError(timed(run(this.#redis), this.#options.commandTimeoutMs, what), what);
  }
}
