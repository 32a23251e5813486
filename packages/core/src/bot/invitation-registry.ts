import type { InvitationParticipantInfo } from '../model/graph.js';
import type { Invitation, OperationOutcome } from '../events/invitation.js';
import type { OperationRecord } from '../state/call-record.js';

/** At most this many settled invitations are remembered, however young. */
const MAX_SETTLED = 10_000;

interface Pending {
  invitation: Invitation;
  resolve: (outcome: OperationOutcome) => void;
}

/** The outcome of a finished operation record. */
export function outcomeOf(op: OperationRecord): OperationOutcome {
  const status = op.status === 'completed' || op.status === 'failed' ? op.status : 'timedOut';
  const outcome: OperationOutcome = { status };
  if (op.operation) outcome.operation = op.operation;
  if (op.resultInfo) outcome.resultInfo = op.resultInfo;
  return outcome;
}

/**
 * The invitations this process sent that are not final yet. Events carry the very object that
 * `invite()` returned; an invitation sent by another process (shared store) or already settled
 * is rebuilt from the operation record.
 */
export class InvitationRegistry {
  readonly #pending = new Map<string, Pending>();
  // Settled invitations stay findable a while, so that a roster arriving after the outcome
  // still names the very object invite() returned. Bounded by count and by age.
  readonly #settled = new Map<string, { invitation: Invitation; at: number }>();
  readonly #retentionMs: number;

  constructor(retentionMs: number) {
    this.#retentionMs = retentionMs;
  }

  /** Creates the Invitation for an invite about to be sent. */
  create(callId: string, clientContext: string, participants: InvitationParticipantInfo[]): Invitation {
    let resolve!: (outcome: OperationOutcome) => void;
    const completion = new Promise<OperationOutcome>((r) => (resolve = r));
    const invitation: Invitation = { callId, id: null, clientContext, status: 'notStarted', participants, completion };
    this.#pending.set(clientContext, { invitation, resolve });
    return invitation;
  }

  /** Forgets an invitation whose request failed. */
  drop(clientContext: string): void {
    this.#pending.delete(clientContext);
  }

  /** Resolves the invitation's completion, if it is this process's, and returns it. */
  settle(callId: string, op: OperationRecord): Invitation | undefined {
    if (!op.sentByBot) return undefined;
    const pending = this.#pendingFor(callId, op.clientContext);
    if (!pending) return this.describe(callId, op);
    if (pending.invitation.id === null) pending.invitation.id = op.id;
    this.#resolve(pending, outcomeOf(op));
    return pending.invitation;
  }

  /**
   * Resolves a local invitation whose outcome another process applied (shared stores).
   * Returns whether this process held it.
   */
  resolveRemote(callId: string, clientContext: string, outcome: OperationOutcome): boolean {
    const pending = this.#pendingFor(callId, clientContext);
    if (pending) this.#resolve(pending, outcome);
    return pending !== undefined;
  }

  /** Whether this process awaits the outcome of an invite. */
  holds(callId: string, clientContext: string | null): boolean {
    return this.#pendingFor(callId, clientContext) !== undefined;
  }

  /** The Invitation an operation record stands for: the live one when this process holds it. */
  describe(callId: string, op: OperationRecord): Invitation | undefined {
    if (!op.sentByBot || !op.clientContext) return undefined;
    const pending = this.#pendingFor(callId, op.clientContext);
    if (pending) return pending.invitation;
    const settled = this.#settled.get(settledKey(callId, op.clientContext));
    if (settled && (op.id === null || settled.invitation.id === null || settled.invitation.id === op.id)) return settled.invitation;
    return {
      callId,
      id: op.id,
      clientContext: op.clientContext,
      status: op.status,
      participants: op.invited ?? [],
      completion: Promise.resolve(outcomeOf(op)),
    };
  }

  /** The invitation this process awaits for that call and clientContext. */
  #pendingFor(callId: string, clientContext: string | null): Pending | undefined {
    const pending = clientContext === null ? undefined : this.#pending.get(clientContext);
    return pending?.invitation.callId === callId ? pending : undefined;
  }

  #resolve(pending: Pending, outcome: OperationOutcome): void {
    this.#pending.delete(pending.invitation.clientContext);
    pending.resolve(outcome);
    this.#remember(pending.invitation);
  }

  #remember(invitation: Invitation): void {
    this.#settled.delete(settledKey(invitation.callId, invitation.clientContext));
    this.#settled.set(settledKey(invitation.callId, invitation.clientContext), { invitation, at: Date.now() });
    this.sweep();
  }

  /** Forgets settled invitations past the retention time (or beyond the bound). */
  sweep(): void {
    const now = Date.now();
    for (const [key, entry] of this.#settled) {
      if (this.#settled.size <= MAX_SETTLED && entry.at + this.#retentionMs > now) break;
      this.#settled.delete(key);
    }
  }
}

const settledKey = (callId: string, clientContext: string): string => `${callId}\n${clientContext}`;
