import type { RedisClient } from './client.js';
import type { KeyLayout } from './keys.js';
import { MARK_EMITTED } from './scripts.js';
import { ShardedSchedule } from './sharded-schedule.js';

/** Claims remembered for `markEmitted`, at most this many (the oldest are forgotten first). */
const MAX_REMEMBERED = 10_000;

/**
 * The stale-outbox index: call ids by the latest lease of their entries, sharded like the
 * deadlines, and the outbox side of `markEmitted`.
 */
export class StaleOutboxes {
  readonly #index: ShardedSchedule;
  // The retryAt of each call this store claimed, until its outbox empties: a sweeper that finds a
  // claimed call empty drops it (markEmitted(callId, [])), although its score is past any lease.
  readonly #claimed = new Map<string, number>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: KeyLayout,
  ) {
    this.#index = new ShardedSchedule(redis, (shard) => keys.staleOutboxes(shard));
  }

  /** Raises the call to `leaseUntil`, never lowers it. */
  raise(callId: string, leaseUntil: number): Promise<void> {
    return this.#index.schedule(callId, leaseUntil, 'ifLater');
  }

  async claim(now: number, retryAt: number, limit: number): Promise<string[]> {
    const claimed = await this.#index.claimDue(now, retryAt, limit);
    for (const callId of claimed) {
      this.#claimed.delete(callId);
      this.#claimed.set(callId, retryAt);
    }
    for (const oldest of this.#claimed.keys()) {
      if (this.#claimed.size <= MAX_REMEMBERED) break;
      this.#claimed.delete(oldest);
    }
    return claimed;
  }

  /**
   * Removes the entries in one script on the call's slot. When none is left, the call leaves the
   * index, but only while its score is no later than what this removal accounts for: the latest
   * lease removed, this store's claim, or now (every lease a live writer sets is later): a writer
   * that added an entry meanwhile raised it beyond, and keeps it indexed.
   */
  async markEmitted(callId: string, entryIds: readonly string[]): Promise<void> {
    const reply = await MARK_EMITTED.run(this.redis, [this.keys.outbox(callId)], [...entryIds]);
    const [left, latest] = Array.isArray(reply) ? (reply as [unknown, unknown]) : [];
    if (typeof left !== 'number') throw new Error('unexpected answer to the markEmitted script');
    if (left > 0) return;
    const bound = Math.max(Date.now(), typeof latest === 'string' ? Number(latest) : -Infinity, this.#claimed.get(callId) ?? -Infinity);
    this.#claimed.delete(callId);
    await this.#index.removeIfAtMost(callId, bound);
  }
}
