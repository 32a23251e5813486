import { GraphRequestError } from '../errors.js';
import type { Logger } from '../logger.js';
import { keepAliveKey, type Deadlines } from './deadlines.js';

/** How long one keepAlive request may take before the poll goes on without it. */
const SEND_TIMEOUT_MS = 30_000;
/** A keepAlive schedule that could not be written is tried again this many times, this far apart. */
const START_RETRIES = 5;
const START_RETRY_MS = 1_000;

/**
 * Every established call gets `POST .../keepAlive` every `intervalMs` until it ends: Graph ends
 * a call that heard none for 45 minutes (408/8537). Each call's next keepAlive is a deadline in
 * the store, which processes sharing it claim once each, so a process that dies takes no call's
 * keepAlive with it.
 */
export class KeepAlives {
  #closed = false;

  constructor(
    private readonly deadlines: Deadlines,
    private readonly intervalMs: number,
    private readonly send: (callId: string) => Promise<void>,
    private readonly gone: (callId: string) => Promise<void>,
    private readonly ended: (callId: string) => Promise<boolean>,
    private readonly logger: Logger,
  ) {}

  /**
   * The call is established: its first keepAlive is due in one interval (unless scheduled
   * already). A store that fails is tried again in the background, a few times a second apart,
   * since a call left without keepAlives ends after 45 minutes; the first failure rejects.
   */
  start(callId: string, attempt = 0): Promise<void> {
    const scheduling = this.deadlines.schedule(keepAliveKey(callId), Date.now() + this.intervalMs, 'ifAbsent');
    return scheduling.catch((error: unknown) => {
      if (attempt < START_RETRIES && !this.#closed) setTimeout(() => void this.start(callId, attempt + 1).catch(() => undefined), START_RETRY_MS).unref();
      if (attempt === 0) throw error;
    });
  }

  /** The call ended. */
  stop(callId: string): Promise<void> {
    return this.deadlines.cancel(keepAliveKey(callId));
  }

  close(): void {
    this.#closed = true;
  }

  /** The call's keepAlive fell due and this process claimed it. */
  async due(callId: string, _claimedUntil: number): Promise<void> {
    if (this.#closed) return;
    const key = keepAliveKey(callId);
    // The next one is scheduled first, so the claim is held for one store write, not for the
    // request: a process that dies while Graph answers leaves the call due in one interval,
    // where a claim left behind would hold it for the claim's whole length (30 s). A call whose
    // end commits meanwhile cancels it after this (its end comes before its cancel), or is seen
    // ended below.
    await this.deadlines.schedule(key, Date.now() + this.intervalMs, 'set');
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
    if (await this.ended(callId)) await this.stop(callId);
  }
}
