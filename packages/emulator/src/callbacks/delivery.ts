import { randomUUID } from 'node:crypto';
import type { TokenIssuer } from '../auth/tokens.js';
import type { EmulatorLogger } from '../options.js';
import type { Scheduler } from '../scheduler.js';
import type { CommsNotifications } from '../types.js';
import { postCallback, type DeliveryAttempt } from './post.js';

export type { DeliveryAttempt } from './post.js';

/** What a callback is about. */
export type DeliveryKind = 'call' | 'roster' | 'operation';

/**
 * Where a delivery stands: `delivered` (the bot answered 2xx), `rejected` (it
 * answered 3xx without Location or 4xx: Graph does not send again), `failed`
 * (5xx or no answer on every attempt), `cancelled` (the emulator closed first,
 * or the call's `drop` fault kept it from being sent).
 */
export type DeliveryState = 'pending' | 'delivered' | 'rejected' | 'failed' | 'cancelled';

/** One callback in the emulator's delivery log. */
export interface DeliveryRecord {
  /** Position in the log, from 1. */
  readonly seq: number;
  /** When it was queued (ms since the epoch). */
  readonly time: number;
  /** The call the callback is about. */
  readonly callId: string;
  /** The callbackUri it was sent to. */
  readonly url: string;
  /** What the callback carries. */
  readonly kind: DeliveryKind;
  /** The exact body sent. */
  readonly body: CommsNotifications;
  /** True for the second copy of a callback sent twice by the `duplicate` fault. */
  readonly duplicate: boolean;
  /** The Authorization header of the last attempt (`Bearer <jwt>`). */
  authorization: string | null;
  /** Every attempt to send it, oldest first. */
  attempts: DeliveryAttempt[];
  /** The bot's last HTTP status (null: no answer). */
  status: number | null;
  /** Where the delivery stands. */
  state: DeliveryState;
  /** True when the call's `drop` fault kept it from being sent (state `cancelled`, no attempts). */
  readonly dropped?: boolean;
}

/** A callback to send. */
export interface DeliveryRequest {
  callId: string;
  url: string;
  kind: DeliveryKind;
  body: CommsNotifications;
  delayMs: number;
  duplicate: boolean;
}

interface DelivererSettings {
  maxAttempts: number;
  backoffMs: number;
  timeoutMs: number;
  logger: EmulatorLogger;
}

/** Why an attempt did not deliver, for a log line: `connection refused`, `timeout after 10000 ms`, `401 invalid_token`. */
export function attemptOutcome(attempt: DeliveryAttempt, timeoutMs: number): string {
  if (attempt.status !== null) return attempt.botError === undefined ? String(attempt.status) : `${attempt.status} ${attempt.botError}`;
  if (attempt.error === 'ECONNREFUSED') return 'connection refused';
  if (attempt.error === 'timeout') return `timeout after ${timeoutMs} ms`;
  return attempt.error ?? 'no answer';
}

/**
 * Sends callbacks. Callbacks of one call to one callbackUri go one at a time,
 * in the order they were queued (a retry holds back the ones behind it), as
 * Graph's queue does; different calls proceed in parallel.
 */
export class Deliverer {
  readonly log: DeliveryRecord[] = [];
  private readonly tails = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  /** Called when a delivery is queued, after each attempt, and when it settles (the event stream listens). */
  onChange: (record: DeliveryRecord) => void = () => undefined;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly tokens: TokenIssuer,
    private readonly settings: DelivererSettings,
  ) {}

  /** Queues a callback; resolves with its record once it is delivered, refused, failed or cancelled. */
  enqueue(request: DeliveryRequest): Promise<DeliveryRecord> {
    const record = this.record(request, false);
    const end = this.scheduler.begin();
    const key = `${request.url} ${request.callId}`;
    const run = (this.tails.get(key) ?? Promise.resolve())
      .then(() => this.deliver(record, request.delayMs))
      .catch((error: unknown) => this.broke(record, error))
      .finally(end);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run.then(() => record);
  }

  /** Logs a callback that is not sent (the call's `drop` fault): `cancelled`, with no attempts. */
  drop(request: DeliveryRequest): DeliveryRecord {
    const record = this.record(request, true);
    record.state = 'cancelled';
    this.onChange(record);
    return record;
  }

  /** Aborts requests in flight; queued callbacks end as `cancelled`. */
  close(): void {
    this.abort.abort();
  }

  /** A delivery that failed inside the emulator: recorded as failed, never a rejection that could take the process down. */
  private broke(record: DeliveryRecord, error: unknown): void {
    record.state = 'failed';
    this.settings.logger(`callback #${record.seq} ${record.kind} -> emulator error`, { error: String(error) });
    this.onChange(record);
  }

  private record(request: DeliveryRequest, dropped: boolean): DeliveryRecord {
    const record: DeliveryRecord = {
      seq: this.log.length + 1,
      time: Date.now(),
      callId: request.callId,
      url: request.url,
      kind: request.kind,
      body: request.body,
      duplicate: request.duplicate,
      authorization: null,
      attempts: [],
      status: null,
      state: 'pending',
      ...(dropped ? { dropped: true } : {}),
    };
    this.log.push(record);
    if (!dropped) this.onChange(record);
    return record;
  }

  private async deliver(record: DeliveryRecord, delayMs: number): Promise<void> {
    await this.scheduler.sleep(delayMs);
    const requestId = randomUUID();
    for (let attempt = 1; attempt <= this.settings.maxAttempts; attempt += 1) {
      if (this.scheduler.closed) {
        record.state = 'cancelled';
        this.onChange(record);
        return;
      }
      record.authorization = `Bearer ${await this.tokens.callbackToken()}`;
      const result = await postCallback(record.url, JSON.stringify(record.body), {
        authorization: record.authorization,
        requestId,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.settings.timeoutMs)]),
      });
      record.attempts.push(result);
      record.status = result.status;
      const last = attempt === this.settings.maxAttempts;
      if (result.status !== null && result.status < 300) record.state = 'delivered';
      else if (result.status !== null && result.status < 500) record.state = 'rejected';
      else if (last) record.state = this.scheduler.closed ? 'cancelled' : 'failed';
      this.settings.logger(`callback #${record.seq} ${record.kind} for call ${record.callId} -> ${attemptOutcome(result, this.settings.timeoutMs)}`, {
        url: record.url,
        attempt: `${attempt}/${this.settings.maxAttempts}`,
        ...(attempt === 1 ? { body: record.body } : {}),
      });
      this.onChange(record);
      if (record.state !== 'pending') return;
      if (!last) await this.scheduler.sleep(this.settings.backoffMs * attempt);
    }
  }
}
