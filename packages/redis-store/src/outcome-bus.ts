import type { Logger, OperationOutcome, OutcomeListener } from '@graph-comms/core';
import type { OpenSubscription, Subscription } from './subscription.js';

const STATUSES = new Set(['completed', 'failed', 'timedOut']);

/**
 * Operation outcomes over Redis pub/sub, so that the process that sent an invite resolves its
 * completion when another process applied the final callback. The subscription has a
 * connection of its own, opened on the first subscriber. Pub/sub is at most once: a process
 * whose subscriber is disconnected at that moment misses the message, so `onResubscribed` tells
 * the store when outcomes may have been missed.
 */
export class OutcomeBus {
  readonly #listeners: OutcomeListener[] = [];
  #subscription: Subscription | undefined;

  constructor(
    private readonly channel: string,
    private readonly open: OpenSubscription,
    private readonly logger: Logger,
    private readonly onResubscribed: () => void,
  ) {}

  /** The message a publisher sends. */
  static message(callId: string, clientContext: string, outcome: OperationOutcome): string {
    return JSON.stringify({ callId, clientContext, outcome });
  }

  subscribe(listener: OutcomeListener): void {
    this.#listeners.push(listener);
    this.#subscription ??= this.open(this.channel, (message) => this.#receive(message), this.onResubscribed);
  }

  /** Settles once the first subscription is in place; undefined when nobody subscribed. */
  get subscribed(): Promise<void> | undefined {
    return this.#subscription?.subscribed;
  }

  /** Quits the subscription's connection, if one was opened. */
  async close(): Promise<void> {
    await this.#subscription?.close();
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
    for (const listener of this.#listeners) {
      try {
        listener(m.callId, m.clientContext, m.outcome as OperationOutcome);
      } catch (error) {
        this.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'an outcome listener threw');
      }
    }
  }
}
