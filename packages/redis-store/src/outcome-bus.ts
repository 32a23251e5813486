import type { Logger, OperationOutcome, OutcomeListener } from '@graph-comms/core';
import type { Redis } from 'ioredis';


const STATUSES = new Set(['completed', 'failed', 'timedOut']);

/**
 * Operation outcomes over Redis pub/sub, so that the process that sent an invite resolves its
 * completion when another process applied the final callback. A subscribed connection can do
 * nothing else, hence a connection of its own, opened on the first subscription. Pub/sub is
 * at most once: a process whose subscriber is disconnected at that moment misses the message,
 * so `onResubscribed` tells the store when outcomes may have been missed.
 */
export class OutcomeBus {
  readonly #listeners: OutcomeListener[] = [];
  #subscriber: Redis | undefined;
  #subscribed: Promise<void> | undefined;

  constructor(
    private readonly channel: string,
    private readonly openSubscriber: () => Redis,
    private readonly logger: Logger,
    private readonly onResubscribed: () => void,
  ) {}

  /** The message a publisher sends. */
  static message(callId: string, clientContext: string, outcome: OperationOutcome): string {
    return JSON.stringify({ callId, clientContext, outcome });
  }

  subscribe(listener: OutcomeListener): void {
    this.#listeners.push(listener);
    if (this.#subscriber) return;
    const subscriber = this.openSubscriber();
    this.#subscriber = subscriber;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.#receive(message);
    });
    // ioredis subscribes again by itself after every reconnect; subscribing once more and
    // waiting for Redis's answer tells when the subscription is really back.
    let readyBefore = false;
    subscriber.on('ready', () => {
      if (!readyBefore) {
        readyBefore = true;
        return;
      }
      subscriber.subscribe(this.channel).then(this.onResubscribed, () => undefined);
    });
    this.#subscribed = subscriber.subscribe(this.channel).then(() => undefined);
    this.#subscribed.catch(() => undefined); // awaited (and reported) by whoever needs it
  }

  /** Hands an outcome to the listeners of this process only. */
  #deliver(callId: string, clientContext: string, outcome: OperationOutcome): void {
    for (const listener of this.#listeners) {
      try {
        listener(callId, clientContext, outcome);
      } catch (error) {
        this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'an outcome listener threw');
      }
    }
  }

  /** Settles once the first subscription is in place; undefined when nobody subscribed. */
  get subscribed(): Promise<void> | undefined {
    return this.#subscribed;
  }

  /** The subscriber connection, for closing. */
  get subscriber(): Redis | undefined {
    return this.#subscriber;
  }

  #receive(message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      parsed = undefined;
    }
    const m = parsed as { callId?: unknown; clientContext?: unknown; outcome?: { status?: unknown } } | undefined;
    if (typeof m?.callId !== 'string' || typeof m.clientContext !== 'string' || typeof m.outcome?.status !== 'string' || !STATUSES.has(m.outcome.status)) {
      this.logger.warn({ channel: this.channel }, 'ignored a malformed outcome message');
      return;
    }
    this.#deliver(m.callId, m.clientContext, m.outcome as OperationOutcome);
  }
}
