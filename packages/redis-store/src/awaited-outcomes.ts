import { contextKey, isFinal, operationAt, outcomeOf, type CallRecord, type OperationOutcome } from '@graph-comms/core';

/**
 * The invites this process sent and whose outcome it still awaits (it reserved their
 * clientContext). Pub/sub drops what is published while a subscriber reconnects; after a
 * reconnect the store looks these up in their records, so that a completion is not lost to it.
 * Entries go when the outcome arrives, when the claim is released here, or when it lapses.
 */
export class AwaitedOutcomes {
  readonly #byContext = new Map<string, { callId: string; until: number }>();
  #lastPrune = 0;

  add(clientContext: string, callId: string, ttlMs: number, now = Date.now()): void {
    this.#byContext.set(clientContext, { callId, until: now + ttlMs });
    if (now - this.#lastPrune > 1000) this.#prune(now);
  }

  delete(clientContext: string): void {
    this.#byContext.delete(clientContext);
  }

  /** [clientContext, callId] of each invite still awaited. */
  list(now = Date.now()): Array<[clientContext: string, callId: string]> {
    this.#prune(now);
    return [...this.#byContext].map(([clientContext, { callId }]) => [clientContext, callId]);
  }

  get size(): number {
    return this.#byContext.size;
  }

  #prune(now: number): void {
    this.#lastPrune = now;
    for (const [context, { until }] of this.#byContext) if (until <= now) this.#byContext.delete(context);
  }
}

/**
 * After the subscriber came back: outcomes of this process's invites may have been published
 * while it was away, and their records say. The command connection may need a moment more to be
 * back too, hence a few tries. Delivering an outcome twice is harmless (the bot resolves once).
 */
export async function recoverMissedOutcomes(
  awaited: AwaitedOutcomes,
  getCall: (callId: string) => Promise<CallRecord | undefined>,
  deliver: (callId: string, clientContext: string, outcome: OperationOutcome) => void,
  stopped: () => boolean,
): Promise<void> {
  for (let attempt = 0; attempt < 20 && !stopped() && awaited.size > 0; attempt++) {
    try {
      for (const [clientContext, callId] of awaited.list()) {
        const outcome = recordedOutcome(await getCall(callId), clientContext);
        if (outcome) deliver(callId, clientContext, outcome);
      }
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250).unref());
    }
  }
}

/** The outcome a record holds for an invite, once its operation is final. */
export function recordedOutcome(record: CallRecord | undefined, clientContext: string): OperationOutcome | undefined {
  const op = record && operationAt(record, contextKey(clientContext));
  return op && op.sentByBot && isFinal(op.status) ? outcomeOf(op) : undefined;
}
