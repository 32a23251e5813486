import type { CallRecord } from '../state/call-record.js';
import type { Step } from '../state/effects.js';
import { removeEntries } from '../state/outbox.js';
import type { OperationOutcome } from '../operations/operation.js';
import type { CallStore, DeadlineMode, OutcomeListener } from './call-store.js';
import { DeadlineSchedule } from './deadline-schedule.js';

import { CALL_OVERHEAD_BYTES, recordBytes, recordBytesDelta } from './record-size.js';

/** Limits of a {@link MemoryCallStore}. */
export interface MemoryCallStoreOptions {
  /** How long an ended call is kept, for late and repeated notifications. Default 15 minutes. */
  retentionMs?: number;
  /** A call with no notification for this long is dropped. Default 24 hours. */
  idleTimeoutMs?: number;
  /**
   * At most this many calls; the least recently updated go first. Default 1 000 000, which
   * would be 1.4 GB of one-participant calls and about 5 GB of five-participant ones: with
   * the default `maxBytes`, that bound is reached first.
   */
  maxCalls?: number;
  /**
   * At most this many bytes of records, as estimated when each is written (see
   * {@link MemoryCallStore.bytes}); the least recently updated calls go first. Default
   * {@link DEFAULT_MAX_BYTES}, 512 MiB; `Infinity` for no bound by size.
   */
  maxBytes?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/** How long ended calls and finished operations are kept by default: 15 minutes. */
export const DEFAULT_RETENTION_MS = 15 * 60_000;

/**
 * The default byte budget of a {@link MemoryCallStore}: 512 MiB. Node's default heap is a
 * quarter of the machine's memory, up to 4 GiB, so this leaves room for the rest of a bot on
 * machines with 4 GiB or more. A call with one participant as Graph sends it is estimated at
 * about 1.5 KiB, one with five at about 5.3 KiB: some 340 000 or 100 000 calls.
 */
export const DEFAULT_MAX_BYTES = 512 * 2 ** 20;

const SWEEP_INTERVAL_MS = 1000;
const MOVE_INTERVAL_MS = 1000;
/** A cursor that has not moved for this many insertions is let go at the next sweep (see `#cursor`). */
const STALE_CURSOR_INSERTIONS = 1024;

interface Held {
  record: CallRecord;
  movedAt: number;
  /** The record's estimated size, {@link CALL_OVERHEAD_BYTES} included. */
  bytes: number;
}

/**
 * The default store: one process's memory, bounded. Ended calls are dropped after the
 * retention time, idle calls after the idle timeout, and the least recently updated beyond
 * `maxCalls` calls or `maxBytes` bytes (each write checks both; evicting costs only what it drops).
 */
export class MemoryCallStore implements CallStore {
  /** This process's memory: no outbox is kept for it (see {@link CallStore.outlivesProcess}). */
  readonly outlivesProcess: boolean = false;
  // Least recently moved first. A call moves to the end at most once a second: re-inserting on
  // every update would churn a map of a million calls for no gain in precision.
  readonly #calls = new Map<string, Held>();
  // Eviction reads the map's oldest entry through one long-lived iterator. A new iterator would
  // start at the map's first slot and walk every slot deleted since V8 last compacted the table
  // (at the bound, one per write: a million calls made each write walk up to a million holes).
  // Map iterators survive deletions and rehashing, and see the entries added after them, which
  // is what moved calls are. `#head` is the entry the cursor yielded last and has not been
  // dropped: every entry before it is gone, so it is the oldest while it is held unchanged.
  #cursor: MapIterator<[string, Held]> | undefined;
  #head: [string, Held] | undefined;
  // An iterator that does not move keeps every table V8 rehashed the map into since it last
  // moved. Below the bounds nothing moves it, so the sweep lets it go once that many insertions
  // since it last moved could have made V8 rehash; the next look starts a new one.
  #insertions = 0;
  #bytes = 0;
  readonly #ended: Array<[callId: string, endedAt: number]> = [];
  #endedHead = 0;
  readonly #contexts = new Map<string, { callId: string; expiresAt: number }>();
  readonly #retentionMs: number;
  readonly #idleTimeoutMs: number;
  readonly #maxCalls: number;
  readonly #maxBytes: number;
  readonly #now: () => number;
  readonly #listeners: OutcomeListener[] = [];
  readonly #deadlines = new DeadlineSchedule();
  /** Calls with outbox entries, due when the latest lease among them ends. */
  readonly #staleOutboxes = new DeadlineSchedule();
  #lastSweep = 0;

  constructor(options: MemoryCallStoreOptions = {}) {
    this.#retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 24 * 3_600_000;
    this.#maxCalls = options.maxCalls ?? 1_000_000;
    this.#maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.#now = options.now ?? Date.now;
  }

  /** How many calls are held. */
  get size(): number {
    return this.#calls.size;
  }

  /**
   * The estimated heap bytes of the calls held: what `maxBytes` bounds. Each record is priced
   * when written: a fixed cost per call, its participants from their shape (media streams, id,
   * metadata), the rest from what its JSON holds; a write looks only at the parts it changed.
   */
  get bytes(): number {
    return this.#bytes;
  }

  updateCall<T>(callId: string, step: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
    try {
      return Promise.resolve(this.#update(callId, step));
    } catch (error) {
      return Promise.reject(error); // a step that throws rejects, as any store's would
    }
  }

  #update<T>(callId: string, step: (record: CallRecord | undefined) => Step<T>): Step<T> {
    let held: Held | undefined;
    let current: CallRecord | undefined;
    let result: Step<T>;
    // A step that itself wrote to this call (it should not, but nothing stops it) must not
    // have that write lost: it runs again on the record it made, as with any other store.
    const now = this.#now();
    do {
      held = this.#live(callId, now);
      current = held?.record;
      result = step(current);
    } while (this.#calls.get(callId)?.record !== current);
    const next = result.record;
    if (next && next !== current) {
      if (!held) {
        const bytes = CALL_OVERHEAD_BYTES + recordBytes(next);
        this.#bytes += bytes;
        this.#calls.set(callId, { record: next, movedAt: now, bytes });
        this.#insertions += 1;
      } else {
        const bytes = held.bytes + recordBytesDelta(held.record, next);
        this.#bytes += bytes - held.bytes;
        if (now - held.movedAt < MOVE_INTERVAL_MS) {
          held.record = next;
          held.bytes = bytes;
        } else {
          this.#calls.delete(callId);
          this.#calls.set(callId, { record: next, movedAt: now, bytes });
          this.#insertions += 1;
        }
      }
      if (next.endedAt !== undefined && current?.endedAt === undefined) this.#ended.push([callId, next.endedAt]);
      this.#indexOutbox(callId, next);
      if (this.#calls.size > this.#maxCalls || this.#bytes > this.#maxBytes) this.#evictOverBounds();
    }
    this.#maybeSweep();
    return result;
  }

  async getCall(callId: string): Promise<CallRecord | undefined> {
    return this.#live(callId, this.#now())?.record;
  }

  /**
   * Replaces the held record by a copy without those entries, in place: neither a write (the
   * call keeps its place and its idle time) nor a change any step could lose, since steps run
   * synchronously here.
   */
  async markEmitted(callId: string, entryIds: readonly string[]): Promise<void> {
    if (!Array.isArray(entryIds)) throw new TypeError('markEmitted: entryIds must be an array of entry ids');
    const held = this.#live(callId, this.#now());
    const next = held ? removeEntries(held.record, entryIds) : undefined;
    if (held && next && next !== held.record) {
      const bytes = held.bytes + recordBytesDelta(held.record, next);
      this.#bytes += bytes - held.bytes;
      held.bytes = bytes;
      held.record = next;
    }
    if (!held?.record.outbox?.length) this.#staleOutboxes.cancel(callId);
  }

  async claimStaleOutboxes(now: number, retryAt: number, limit: number): Promise<string[]> {
    return this.#staleOutboxes.claimDue(now, retryAt, limit);
  }

  async scheduleDeadline(key: string, dueAt: number, mode: DeadlineMode = 'set'): Promise<void> {
    this.#deadlines.schedule(key, dueAt, mode);
  }

  async cancelDeadline(key: string, dueAt?: number): Promise<void> {
    this.#deadlines.cancel(key, dueAt);
  }

  async claimDeadline(key: string, now: number, retryAt: number): Promise<boolean> {
    return this.#deadlines.claim(key, now, retryAt);
  }

  async claimDueDeadlines(now: number, retryAt: number, limit: number): Promise<string[]> {
    return this.#deadlines.claimDue(now, retryAt, limit);
  }

  async reserveClientContext(clientContext: string, callId: string, ttlMs: number): Promise<boolean> {
    const now = this.#now();
    const held = this.#contexts.get(clientContext);
    if (held && held.expiresAt > now) return false;
    this.#contexts.set(clientContext, { callId, expiresAt: now + ttlMs });
    return true;
  }

  async releaseClientContext(clientContext: string, callId?: string): Promise<void> {
    if (callId === undefined || this.#contexts.get(clientContext)?.callId === callId) this.#contexts.delete(clientContext);
  }

  /** Several bots on one memory store hear each other's outcomes, as processes on one Redis do. */
  async publishOutcome(callId: string, clientContext: string, outcome: OperationOutcome): Promise<void> {
    for (const listener of this.#listeners) listener(callId, clientContext, outcome);
  }

  subscribeOutcomes(listener: OutcomeListener): void {
    this.#listeners.push(listener);
  }

  async close(): Promise<void> {
    this.#deadlines.clear();
    this.#staleOutboxes.clear();
    this.#listeners.length = 0;
    this.#calls.clear();
    this.#contexts.clear();
    this.#ended.length = 0;
    this.#endedHead = 0;
    this.#bytes = 0;
    this.#dropCursor();
  }

  /** The least recently moved call; amortised O(1) (see `#cursor`). */
  #oldest(): [string, Held] | undefined {
    const head = this.#head;
    if (head !== undefined && this.#calls.get(head[0]) === head[1]) return head;
    // Dropped, or moved to the end (as a new holder, which the cursor will meet again there).
    this.#cursor ??= this.#calls.entries();
    const next = this.#cursor.next();
    this.#insertions = 0;
    if (next.done) {
      this.#dropCursor(); // the map is empty; a finished iterator never sees new entries
      return undefined;
    }
    return (this.#head = next.value);
  }

  #dropCursor(): void {
    this.#cursor = undefined;
    this.#head = undefined;
  }

  #drop(callId: string, held: Held): void {
    this.#calls.delete(callId);
    this.#bytes -= held.bytes;
    if (held.record.outbox?.length) this.#staleOutboxes.cancel(callId);
  }

  /**
   * The held call, unless its retention or idle time has passed: that one is dropped now, so
   * that a call is gone on time whether or not a write swept since.
   */
  #live(callId: string, now: number): Held | undefined {
    const held = this.#calls.get(callId);
    if (!held) return undefined;
    const { endedAt, updatedAt } = held.record;
    if ((endedAt === undefined || endedAt + this.#retentionMs > now) && updatedAt + this.#idleTimeoutMs > now) return held;
    this.#drop(callId, held);
    return undefined;
  }

  /** Keeps the stale-outbox index: a call is due once the latest lease of its entries ends. */
  #indexOutbox(callId: string, record: CallRecord): void {
    const outbox = record.outbox;
    if (!outbox?.length) {
      this.#staleOutboxes.cancel(callId);
      return;
    }
    let leaseUntil = -Infinity;
    // A malformed lease counts as ended: the entry is swept, never forgotten.
    for (const entry of outbox) if (typeof entry.leaseUntil === 'number' && entry.leaseUntil > leaseUntil) leaseUntil = entry.leaseUntil;
    this.#staleOutboxes.schedule(callId, leaseUntil, 'ifLater');
  }

  /** Drops the least recently updated calls until both bounds hold (but keeps one call). */
  #evictOverBounds(): void {
    while (this.#calls.size > this.#maxCalls || (this.#bytes > this.#maxBytes && this.#calls.size > 1)) {
      const oldest = this.#oldest();
      if (!oldest) return;
      this.#drop(oldest[0], oldest[1]);
    }
  }

  /** Drops what has expired; runs at most once a second, on writes, so no timer is needed. */
  #maybeSweep(): void {
    const now = this.#now();
    if (now - this.#lastSweep < SWEEP_INTERVAL_MS) return;
    this.#lastSweep = now;
    while (this.#endedHead < this.#ended.length) {
      const [callId, endedAt] = this.#ended[this.#endedHead]!;
      if (endedAt + this.#retentionMs > now) break;
      const held = this.#calls.get(callId);
      if (held?.record.endedAt === endedAt) this.#drop(callId, held);
      this.#endedHead++;
    }
    if (this.#endedHead > 1024 && this.#endedHead * 2 > this.#ended.length) {
      this.#ended.splice(0, this.#endedHead);
      this.#endedHead = 0;
    }
    // Idle calls, oldest first, up to the first that is not: what it drops, plus one look.
    if (this.#insertions > STALE_CURSOR_INSERTIONS) this.#dropCursor();
    for (let oldest = this.#oldest(); oldest && oldest[1].record.updatedAt + this.#idleTimeoutMs <= now; oldest = this.#oldest()) {
      this.#drop(oldest[0], oldest[1]);
    }
    for (const [context, held] of this.#contexts) if (held.expiresAt <= now) this.#contexts.delete(context);
  }
}
