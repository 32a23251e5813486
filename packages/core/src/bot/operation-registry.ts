import type { InvitationParticipantInfo } from '../model/graph.js';
import { canonicalId } from '../model/ids.js';
import type { Operation, OperationOutcome } from '../operations/operation.js';
import type { OperationKind } from '../operations/resources.js';
import type { OperationRecord, OperationState } from '../state/call-record.js';
import { learn, liveOperation, settle } from './live-operation.js';
import { NO_TELEMETRY, type Telemetry } from '../telemetry/telemetry.js';

/** At most this many settled operations are remembered, however young. */
const MAX_SETTLED = 10_000;

/** The outcome of a final operation record; undefined while it is pending. */
export function outcomeOf(op: OperationRecord): OperationOutcome | undefined {
  if (op.status !== 'completed' && op.status !== 'failed' && op.status !== 'timedOut') return undefined;
  const outcome: OperationOutcome = { status: op.status };
  if (op.operation) outcome.operation = op.operation;
  if (op.resultInfo) outcome.resultInfo = op.resultInfo;
  return outcome;
}

/**
 * The one registry of operations this process awaits: the ones it sent, and the ones another
 * process sent that an event of this process named while they were pending (their completion
 * resolves with the real outcome too, never with a guess). Events carry the very object a
 * handle method returned whenever this process has it.
 */
export class OperationRegistry {
  readonly #awaited = new Map<string, Operation>();
  // Settled operations stay findable a while, so that a roster arriving after the outcome
  // still names the very object invite() returned. Bounded by count and by age.
  readonly #settled = new Map<string, { operation: Operation; at: number }>();
  // Walks the oldest settled entries across calls: a Map iterator survives deletions, whereas a
  // fresh one would walk every deleted slot at the front of the map again each time.
  #oldest: Iterator<string> | undefined;

  /** Set by the bot: told how many operations are awaited after each change. */
  telemetry: Pick<Telemetry, 'awaiting'> = NO_TELEMETRY;

  constructor(private readonly retentionMs: number) {}

  /** The Operation of a request about to be sent. */
  create(kind: OperationKind, callId: string, clientContext: string, participants?: InvitationParticipantInfo[]): Operation {
    const operation = liveOperation(participants ? { kind, callId, clientContext, participants } : { kind, callId, clientContext });
    this.#awaited.set(keyOf(callId, clientContext), operation);
    this.telemetry.awaiting(this.#awaited.size);
    return operation;
  }

  /** Graph answered the request (not finally: a final answer settles through the record). */
  answered(callId: string, clientContext: string, id: string | null, status: OperationState | undefined, participants?: InvitationParticipantInfo[]): void {
    const operation = this.#awaited.get(keyOf(callId, clientContext));
    if (operation) learn(operation, id, status, participants);
  }

  /** Forgets an operation whose request failed. */
  drop(callId: string, clientContext: string): void {
    this.#awaited.delete(keyOf(callId, clientContext));
    this.telemetry.awaiting(this.#awaited.size);
  }

  /** Whether this process awaits the outcome of that operation. */
  holds(callId: string, clientContext: string | null): boolean {
    return clientContext !== null && this.#awaited.has(keyOf(callId, clientContext));
  }

  /** Settles the Operation a final record stands for, and returns it (undefined when the bot did not send it). */
  settle(callId: string, op: OperationRecord): Operation | undefined {
    if (!op.sent || !op.clientContext) return undefined;
    const outcome = outcomeOf(op);
    const awaited = this.#awaited.get(keyOf(callId, op.clientContext));
    if (!awaited || !outcome) return this.describe(callId, op);
    if (awaited.id === null) learn(awaited, op.id, undefined);
    this.#resolve(callId, op.clientContext, awaited, outcome);
    return awaited;
  }

  /** Resolves an awaited operation whose outcome another process applied. Whether this process awaited it. */
  resolveRemote(callId: string, clientContext: string, outcome: OperationOutcome): boolean {
    const awaited = this.#awaited.get(keyOf(callId, clientContext));
    if (awaited) this.#resolve(callId, clientContext, awaited, outcome);
    return awaited !== undefined;
  }

  /**
   * The Operation a record stands for: the live one when this process holds it, else one
   * rebuilt from the record. A rebuilt pending one is awaited from now on (`watching` says so,
   * so that the caller bounds the wait).
   */
  describe(callId: string, op: OperationRecord, watching?: () => void): Operation | undefined {
    if (!op.sent || !op.clientContext || op.kind === 'unknown') return undefined;
    const key = keyOf(callId, op.clientContext);
    const awaited = this.#awaited.get(key);
    if (awaited) return awaited;
    const settled = this.#settled.get(key);
    if (settled && (op.id === null || settled.operation.id === null || canonicalId(settled.operation.id) === canonicalId(op.id))) return settled.operation;
    const init = { kind: op.kind, callId, clientContext: op.clientContext, id: op.id, status: op.status };
    const operation = liveOperation(op.participants ? { ...init, participants: op.participants } : init);
    const outcome = outcomeOf(op);
    if (outcome) {
      settle(operation, outcome);
      this.#remember(key, operation);
    } else {
      this.#awaited.set(key, operation);
      this.telemetry.awaiting(this.#awaited.size);
      watching?.();
    }
    return operation;
  }

  /** Every awaited operation, for a look in the store after outcomes may have been missed. */
  awaitedOperations(): Array<{ callId: string; clientContext: string }> {
    return [...this.#awaited.values()].map(({ callId, clientContext }) => ({ callId, clientContext }));
  }

  #resolve(callId: string, clientContext: string, awaited: Operation, outcome: OperationOutcome): void {
    const key = keyOf(callId, clientContext);
    this.#awaited.delete(key);
    this.telemetry.awaiting(this.#awaited.size);
    settle(awaited, outcome);
    this.#remember(key, awaited);
  }

  #remember(key: string, operation: Operation): void {
    this.#settled.delete(key);
    this.#settled.set(key, { operation, at: Date.now() });
    while (this.#settled.size > MAX_SETTLED) this.#forgetOldest();
  }

  #forgetOldest(): void {
    let next = this.#oldest?.next();
    if (!next || next.done) {
      this.#oldest = this.#settled.keys();
      next = this.#oldest.next();
    }
    if (!next.done) this.#settled.delete(next.value);
  }

  /** Forgets settled operations past the retention time (run now and then, not on every settle). */
  sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#settled) {
      if (entry.at + this.retentionMs > now) break;
      this.#settled.delete(key);
    }
  }
}

const keyOf = (callId: string, clientContext: string): string => `${canonicalId(callId)}\n${clientContext}`;
