import type { Logger } from '../logger.js';
import { canonicalId } from '../model/ids.js';
import type { CallStore, DeadlineMode } from '../store/call-store.js';
import { DeadlineSchedule } from '../store/deadline-schedule.js';

/** What a deadline is for: an operation's or a transfer's timeout, or a call's next keepAlive. */
export type DeadlineKind = 'op' | 'tr' | 'ka';

/** A deadline's key: its kind, its call (canonical id) and, for timeouts, what times out. */
export const deadlineKey = (kind: DeadlineKind, callId: string, what = ''): string => JSON.stringify([kind, callId, what]);

/** The key of a call's keepAlive deadline (any form of its id). */
export const keepAliveKey = (callId: string): string => deadlineKey('ka', canonicalId(callId));

/** The key of the timeout of an operation (its record's key) of a call (any form of its id). */
export const operationDeadlineKey = (callId: string, operationKey: string): string => deadlineKey('op', canonicalId(callId), operationKey);

/** The key of the timeout of a transfer (its token) of a call (any form of its id). */
export const transferDeadlineKey = (callId: string, token: string): string => deadlineKey('tr', canonicalId(callId), token);

/** The parts of a key made by {@link deadlineKey}; undefined for anything else. */
export function parseDeadlineKey(key: string): { kind: DeadlineKind; callId: string; what: string } | undefined {
  try {
    const parts: unknown = JSON.parse(key);
    if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((p) => typeof p === 'string')) return undefined;
    const [kind, callId, what] = parts as [string, string, string];
    return kind === 'op' || kind === 'tr' || kind === 'ka' ? { kind, callId, what } : undefined;
  } catch {
    return undefined;
  }
}

type Schedule = Required<Pick<CallStore, 'scheduleDeadline' | 'cancelDeadline' | 'claimDueDeadlines'>>;

/** How many due deadlines, and stale outboxes, one poll takes at most. */
const BATCH = 100;

/**
 * The bot's deadlines, kept in the store when it keeps them (so that one whose process died
 * fires in another: every process polls for due ones) and in this process's memory otherwise.
 * A claimed deadline comes due again `retryMs` later unless its handler cancels or moves it, so
 * that a process that dies while handling one loses nothing. Stale outboxes are swept here too.
 */
export class Deadlines {
  readonly #schedule: Schedule;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  #polling: Promise<void> | undefined;

  constructor(
    private readonly store: CallStore,
    private readonly options: { pollMs: number; retryMs: number; graceMs: number; outboxLeaseMs: number },
    private readonly due: (key: string, claimedUntil: number) => Promise<void>,
    private readonly staleOutbox: (callId: string) => Promise<void>,
    private readonly logger: Logger,
  ) {
    const own = new DeadlineSchedule();
    this.#schedule =
      store.scheduleDeadline && store.cancelDeadline && store.claimDueDeadlines
        ? (store as Schedule)
        : {
            scheduleDeadline: async (key, dueAt, mode) => own.schedule(key, dueAt, mode ?? 'set'),
            cancelDeadline: async (key, dueAt) => own.cancel(key, dueAt),
            claimDueDeadlines: async (now, retryAt, limit) => own.claimDue(now, retryAt, limit),
          };
    this.#arm();
  }

  schedule(key: string, dueAt: number, mode: DeadlineMode = 'set'): Promise<void> {
    return this.#schedule.scheduleDeadline(key, dueAt, mode);
  }

  cancel(key: string, dueAt?: number): Promise<void> {
    return this.#schedule.cancelDeadline(key, dueAt);
  }

  /** Stops polling; resolves once the poll under way (if any) is over. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#polling;
  }

  #arm(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#polling = this.#poll().finally(() => {
        this.#polling = undefined;
        this.#arm();
      });
    }, this.options.pollMs);
    this.#timer.unref();
  }

  async #poll(): Promise<void> {
    const { retryMs, graceMs, outboxLeaseMs } = this.options;
    try {
      for (let full = true; full && !this.#closed; ) {
        const now = Date.now();
        // The process that set a timeout fires it on its own timer: others step in past a grace.
        const due = await this.#schedule.claimDueDeadlines(now - graceMs, now + retryMs, BATCH);
        await Promise.all(due.map((key) => this.due(key, now + retryMs).catch((error: unknown) => this.#failed(error))));
        full = due.length === BATCH;
      }
      for (let full = !!this.store.claimStaleOutboxes; full && !this.#closed; ) {
        const now = Date.now();
        const stale = await this.store.claimStaleOutboxes!(now, now + outboxLeaseMs, BATCH);
        await Promise.all(stale.map((callId) => this.staleOutbox(callId).catch((error: unknown) => this.#failed(error))));
        full = stale.length === BATCH;
      }
    } catch (error) {
      this.#failed(error);
    }
  }

  #failed(error: unknown): void {
    this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'deadline or outbox sweep failed; it comes due again');
  }
}
