import { GraphRequestError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CallStore } from '../store/call-store.js';
import { KeepAliveSchedule } from '../store/keep-alive-schedule.js';
import { canonicalId } from '../model/ids.js';

/** How many due keepAlives one poll takes. */
const BATCH = 100;
/** How long one keepAlive request may take before the poll goes on without it. */
const SEND_TIMEOUT_MS = 30_000;

/**
 * Every established call gets `POST .../keepAlive` every `intervalMs` until it ends: Graph ends
 * a call that heard none for 45 minutes (408/8537). The schedule lives in the store, where
 * processes sharing it claim each due keepAlive once, so a process that dies takes no call's
 * keepAlive with it; a store without one gets this process's own schedule.
 */
export class KeepAlives {
  readonly #schedule: Pick<Required<CallStore>, 'scheduleKeepAlive' | 'cancelKeepAlive' | 'claimDueKeepAlives'>;
  readonly #pollMs: number;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    store: CallStore,
    private readonly intervalMs: number,
    private readonly send: (callId: string) => Promise<void>,
    private readonly gone: (callId: string) => Promise<void>,
    private readonly logger: Logger,
  ) {
    const own = new KeepAliveSchedule();
    this.#schedule =
      store.scheduleKeepAlive && store.cancelKeepAlive && store.claimDueKeepAlives
        ? (store as Required<CallStore>)
        : {
            scheduleKeepAlive: async (callId, dueAt) => own.schedule(callId, dueAt),
            cancelKeepAlive: async (callId) => own.cancel(callId),
            claimDueKeepAlives: async (now, next, limit) => own.claim(now, next, limit),
          };
    // Polled a few times an interval, so a keepAlive goes out at most a quarter late.
    this.#pollMs = Math.max(10, Math.min(intervalMs / 4, 60_000));
    this.#arm();
  }

  /** The call is established: its first keepAlive is due in one interval. */
  start(callId: string): Promise<void> {
    return this.#schedule.scheduleKeepAlive(canonicalId(callId), Date.now() + this.intervalMs);
  }

  /** The call ended. */
  stop(callId: string): Promise<void> {
    return this.#schedule.cancelKeepAlive(canonicalId(callId));
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #arm(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => void this.#poll(), this.#pollMs);
    this.#timer.unref();
  }

  async #poll(): Promise<void> {
    try {
      for (let full = true; full && !this.#closed; ) {
        const now = Date.now();
        const due = await this.#schedule.claimDueKeepAlives(now, now + this.intervalMs, BATCH);
        await Promise.all(due.map((callId) => this.#keepAlive(callId)));
        full = due.length === BATCH;
      }
    } catch (error) {
      this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'keepAlive schedule unavailable; trying again');
    }
    this.#arm();
  }

  async #keepAlive(callId: string): Promise<void> {
    try {
      // Bounded: a request that never answers must not hold up the next polls.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('keepAlive got no answer in time')), SEND_TIMEOUT_MS)));
      await Promise.race([this.send(callId), late]).finally(() => clearTimeout(timer));
    } catch (error) {
      if (error instanceof GraphRequestError && error.status === 404) {
        // Graph no longer knows the call: it ended without the bot hearing it. Off the schedule
        // whatever the record says (it may have ended, or be gone, already).
        await this.gone(callId).catch(() => undefined);
        await this.stop(callId).catch(() => undefined);
        return;
      }
      this.logger.warn({ callId, err: error instanceof Error ? error.message : String(error) }, 'keepAlive failed; the next one is due in one interval');
    }
  }
}
