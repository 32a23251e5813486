import type { CallRecord, OperationOutcome } from '@graph-comms/core';

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

/** The outcome a record holds for an invite, once its operation is final (as core's `outcomeOf`). */
export function recordedOutcome(record: CallRecord | undefined, clientContext: string): OperationOutcome | undefined {
  const op = record?.operations[`c:${clientContext}`];
  if (!op || !op.sentByBot || (op.status !== 'completed' && op.status !== 'failed' && op.status !== 'timedOut')) return undefined;
  const outcome: OperationOutcome = { status: op.status };
  if (op.operation) outcome.operation = op.operation;
  if (op.resultInfo) outcome.resultInfo = op.resultInfo;
  return outcome;
}
