import { KeyedQueue, StoreError, type CallRecord, type CallStore, type DeadlineMode, type OperationOutcome, type OutcomeListener, type Step } from '@graph-comms/core';
import type { RedisClient } from './client.js';
import { quit, timed, whenReady } from './connection.js';
import { KeyLayout } from './keys.js';
import { openClient } from './open-client.js';
import { resolveOptions, type RedisCallStoreOptions, type ResolvedOptions } from './options.js';
import { OutcomeBus } from './outcome-bus.js';
import { readCall } from './read-call.js';
import { RELEASE_CONTEXT } from './scripts.js';
import { ShardedSchedule } from './sharded-schedule.js';
import { checkClaim, checkKey, checkSchedule } from './schedule-values.js';
import { StaleOutboxes } from './stale-outboxes.js';
import { ttlOf } from './ttl.js';
import { failsAsStoreError, optimisticUpdate } from './update-call.js';

/**
 * A CallStore in Redis or a Redis Cluster, with which several bot processes behind one callback
 * URL act as one bot: each call's record and outbox change atomically wherever a callback lands,
 * deadlines and stale outboxes are found by whichever process sweeps first, and operation
 * outcomes reach the process that sent the invite over pub/sub. Fails fast (StoreError, so a 503
 * to Graph, which delivers again) while Redis is unreachable, and reconnects by itself.
 */
export class RedisCallStore implements CallStore {
  readonly #redis: RedisClient;
  readonly #ownsClient: boolean;
  readonly #options: ResolvedOptions;
  readonly #keys: KeyLayout;
  readonly #bus: OutcomeBus;
  readonly #deadlines: ShardedSchedule;
  readonly #outboxes: StaleOutboxes;
  // This process's updates of one call wait in line, so that they never race each other for the
  // same version in Redis: optimistic retries then only happen when another process wrote.
  readonly #lock = new KeyedQueue();
  readonly #gapListeners: Array<() => void> = [];
  #closed = false;

  constructor(options: RedisCallStoreOptions = {}) {
    this.#options = resolveOptions(options);
    const { commandTimeoutMs, logger } = this.#options;
    const client = openClient(options, commandTimeoutMs, logger);
    this.#redis = client.redis;
    this.#ownsClient = client.owned;
    this.#keys = new KeyLayout(this.#options.keyPrefix);
    this.#deadlines = new ShardedSchedule(this.#redis, (shard) => this.#keys.deadlines(shard));
    this.#outboxes = new StaleOutboxes(this.#redis, this.#keys);
    // What was published while the subscriber was away is lost: the bot reads its awaited operations' records.
    const gap = (): void => {
      for (const listener of this.#gapListeners) listener();
    };
    this.#bus = new OutcomeBus(this.#keys.outcomes, client.subscriptions, logger, gap);
  }

  /** Atomic across processes; see `optimisticUpdate`. This process's updates of one call wait their turn. */
  updateCall<T>(callId: string, step: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
    return this.#lock.run(callId, async () => {
      await this.#ready();
      const { retentionMs, idleTimeoutMs, commandTimeoutMs, logger } = this.#options;
      const keys = this.#keys.ofCall(callId);
      const index = (leaseUntil: number): Promise<unknown> => timed(this.#outboxes.raise(callId, leaseUntil), commandTimeoutMs, 'index');
      const target = { redis: this.#redis, callId, keys, timeoutMs: commandTimeoutMs, logger, index, ttlOf: (record: CallRecord) => ttlOf(record, Date.now(), retentionMs, idleTimeoutMs) };
      return optimisticUpdate(target, step);
    });
  }

  /** The record with its outbox, read in one script. */
  async getCall(callId: string): Promise<CallRecord | undefined> {
    return this.#command(`could not read call ${callId}`, async (redis) => (await readCall(redis, callId, this.#keys.ofCall(callId))).record);
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

  /** Frees a claim; with `callId`, only while the claim is still that call's, so a late release never frees a newer claim. */
  async releaseClientContext(clientContext: string, callId?: string): Promise<void> {
    await this.#command(`could not release clientContext ${clientContext}`, async (redis) => {
      const key = this.#keys.clientContext(clientContext);
      await (callId === undefined ? redis.del(key) : RELEASE_CONTEXT.run(redis, [key], [callId]));
    });
  }

  /** One script on the call's slot (never a change of its version), then, when no entry is left, a conditional removal from the index. */
  async markEmitted(callId: string, entryIds: readonly string[]): Promise<void> {
    if (!Array.isArray(entryIds) || !entryIds.every((id) => typeof id === 'string')) throw new TypeError('markEmitted: entryIds must be an array of entry ids (strings)');
    await this.#command(`could not mark entries of call ${callId} emitted`, () => this.#outboxes.markEmitted(callId, entryIds));
  }

  async claimStaleOutboxes(now: number, retryAt: number, limit: number): Promise<string[]> {
    checkClaim(now, retryAt, limit);
    return this.#command('could not claim stale outboxes', () => this.#outboxes.claim(now, retryAt, limit));
  }

  async scheduleDeadline(key: string, dueAt: number, mode: DeadlineMode = 'set'): Promise<void> {
    checkSchedule(key, dueAt, mode);
    await this.#command(`could not schedule deadline ${JSON.stringify(key)}`, () => this.#deadlines.schedule(key, dueAt, mode));
  }

  async cancelDeadline(key: string, dueAt?: number): Promise<void> {
    checkKey(key);
    if (dueAt !== undefined) checkSchedule(key, dueAt);
    await this.#command(`could not cancel deadline ${JSON.stringify(key)}`, () => this.#deadlines.cancel(key, dueAt));
  }

  async claimDeadline(key: string, now: number, retryAt: number): Promise<boolean> {
    checkKey(key);
    checkClaim(now, retryAt, 1);
    return this.#command(`could not claim deadline ${JSON.stringify(key)}`, () => this.#deadlines.claim(key, now, retryAt));
  }

  /** Every shard claims at once, in one atomic step each; see `ShardedSchedule.claimDue`. */
  async claimDueDeadlines(now: number, retryAt: number, limit: number): Promise<string[]> {
    checkClaim(now, retryAt, limit);
    return this.#command('could not claim due deadlines', () => this.#deadlines.claimDue(now, retryAt, limit));
  }

  async publishOutcome(callId: string, clientContext: string, outcome: OperationOutcome): Promise<void> {
    await this.#command(`could not publish the outcome of ${clientContext}`, (redis) => redis.publish(this.#keys.outcomes, OutcomeBus.message(callId, clientContext, outcome)));
  }

  /** `onGap` is called each time the subscription came back after it was lost. */
  subscribeOutcomes(listener: OutcomeListener, onGap?: () => void): void {
    if (this.#closed) throw new StoreError('the store is closed');
    if (onGap) this.#gapListeners.push(onGap);
    this.#bus.subscribe(listener);
  }

  /** Quits the pub/sub connection, and the command client unless it was passed in as `client`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([this.#bus.close(), this.#ownsClient ? quit(this.#redis, this.#options.commandTimeoutMs) : undefined]);
  }

  /** One bounded round of commands; any failure becomes a StoreError (bad input was refused before, with a TypeError). */
  async #command<T>(what: string, run: (redis: RedisClient) => Promise<T>): Promise<T> {
    await this.#ready();
    return failsAsStoreError(timed(run(this.#redis), this.#options.commandTimeoutMs, what), what);
  }

  async #ready(): Promise<void> {
    if (this.#closed) throw new StoreError('the store is closed');
    await failsAsStoreError(whenReady(this.#redis, this.#options.commandTimeoutMs), 'Redis is unreachable');
  }
}
