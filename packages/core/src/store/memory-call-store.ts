import type { CallRecord } from '../state/call-record.js';
import type { Step } from '../state/effects.js';
import type { OperationOutcome } from '../operations/operation.js';
import type { CallStore, OutcomeListener } from './call-store.js';

/** Limits of a {@link MemoryCallStore}. */
export interface MemoryCallStoreOptions {
  /** How long an ended call is kept, for late and repeated notifications. Default 15 minutes. */
  retentionMs?: number;
  /** A call with no notification for this long is dropped. Default 24 hours. */
  idleTimeoutMs?: number;
  /** At most this many calls; the least recently updated go first. Default 1 000 000. */
  maxCalls?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/** How long ended calls and finished operations are kept by default: 15 minutes. */
export const DEFAULT_RETENTION_MS = 15 * 60_000;

const SWEEP_INTERVAL_MS = 1000;
const MOVE_INTERVAL_MS = 1000;

/**
 * The default store: one process's memory, bounded. Ended calls are dropped after the
 * retention time, idle calls after the idle timeout, and the oldest beyond `maxCalls`.
 */
export class MemoryCallStore implements CallStore {
  // Least recently moved first. A call moves to the end at most once a second: re-inserting on
  // every update would churn a map of a million calls for no gain in precision.
  readonly #calls = new Map<string, { record: CallRecord; movedAt: number }>();
  readonly #ended: Array<[callId: string, endedAt: number]> = [];
  #endedHead = 0;
  readonly #contexts = new Map<string, { callId: string; expiresAt: number }>();
  readonly #retentionMs: number;
  readonly #idleTimeoutMs: number;
  readonly #maxCalls: number;
  readonly #now: () => number;
  readonly #listeners: OutcomeListener[] = [];
  #lastSweep = 0;

  constructor(options: MemoryCallStoreOptions = {}) {
    this.#retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 24 * 3_600_000;
    this.#maxCalls = options.maxCalls ?? 1_000_000;
    this.#now = options.now ?? Date.now;
  }

  /** How many calls are held. */
  get size(): number {
    return this.#calls.size;
  }

  updateCall<T>(callId: string, step: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
    try {
      return Promise.resolve(this.#update(callId, step));
    } catch (error) {
      return Promise.reject(error); // a step that throws rejects, as any store's would
    }
  }

  #update<T>(callId: string, step: (record: CallRecord | undefined) => Step<T>): Step<T> {
    const held = this.#calls.get(callId);
    const current = held?.record;
    const result = step(current);
    const next = result.record;
    if (next && next !== current) {
      const now = this.#now();
      if (!held) this.#calls.set(callId, { record: next, movedAt: now });
      else if (now - held.movedAt < MOVE_INTERVAL_MS) held.record = next;
      else {
        this.#calls.delete(callId);
        this.#calls.set(callId, { record: next, movedAt: now });
      }
      if (next.endedAt !== undefined && current?.endedAt === undefined) this.#ended.push([callId, next.endedAt]);
    }
    this.#maybeSweep();
    return result;
  }

  async getCall(callId: string): Promise<CallRecord | undefined> {
    return this.#calls.get(callId)?.record;
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
    this.#listeners.length = 0;
    this.#calls.clear();
    this.#contexts.clear();
    this.#ended.length = 0;
    this.#endedHead = 0;
  }

  /** Drops what has expired; runs at most once a second, on writes, so no timer is needed. */
  #maybeSweep(): void {
    const now = this.#now();
    if (now - this.#lastSweep < SWEEP_INTERVAL_MS && this.#calls.size <= this.#maxCalls) return;
    this.#lastSweep = now;
    while (this.#endedHead < this.#ended.length) {
      const [callId, endedAt] = this.#ended[this.#endedHead]!;
      if (endedAt + this.#retentionMs > now) break;
      if (this.#calls.get(callId)?.record.endedAt === endedAt) this.#calls.delete(callId);
      this.#endedHead++;
    }
    if (this.#endedHead > 1024 && this.#endedHead * 2 > this.#ended.length) {
      this.#ended.splice(0, this.#endedHead);
      this.#endedHead = 0;
    }
    for (const [callId, { record }] of this.#calls) {
      if (this.#calls.size <= this.#maxCalls && record.updatedAt + this.#idleTimeoutMs > now) break;
      this.#calls.delete(callId);
    }
    for (const [context, held] of this.#contexts) if (held.expiresAt <= now) this.#contexts.delete(context);
  }
}
