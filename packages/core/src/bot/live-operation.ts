import type { InvitationParticipantInfo } from '../model/graph.js';
import type { Operation, OperationOutcome } from '../operations/operation.js';
import type { OperationKind } from '../operations/resources.js';

/** How the registry moves a live operation along; users only read it. */
export interface OperationControl {
  /** What Graph answered: the id (in the form of the answer), a status, the invitees as Graph listed them. */
  learn(id: string | null, status: string | undefined, participants?: InvitationParticipantInfo[]): void;
  /** Settles the completion (once) and the status. */
  resolve(outcome: OperationOutcome): void;
}

/**
 * The Operation a handle method resolves (an Invitation for invites): read-only to its user,
 * moved along by the registry alone, so `id` and `status` are never stale in this process.
 */
export function liveOperation(
  init: { kind: OperationKind; callId: string; clientContext: string; id?: string | null; status?: string; participants?: InvitationParticipantInfo[] },
): { operation: Operation; control: OperationControl } {
  let id = init.id ?? null;
  let status = init.status ?? 'notStarted';
  let participants = init.participants;
  let settled = false;
  let resolveCompletion!: (outcome: OperationOutcome) => void;
  const completion = new Promise<OperationOutcome>((resolve) => (resolveCompletion = resolve));
  const operation = {
    kind: init.kind,
    callId: init.callId,
    clientContext: init.clientContext,
    get id() {
      return id;
    },
    get status() {
      return status;
    },
    completion,
  } as Operation;
  if (participants) Object.defineProperty(operation, 'participants', { enumerable: true, get: () => participants });
  const control: OperationControl = {
    learn(answeredId, answeredStatus, answeredParticipants) {
      if (answeredId !== null) id = answeredId;
      if (!settled && answeredStatus) status = answeredStatus;
      if (answeredParticipants && answeredParticipants.length > 0) participants = answeredParticipants;
    },
    resolve(outcome) {
      if (settled) return;
      settled = true;
      status = outcome.status;
      if (id === null && typeof outcome.operation?.id === 'string' && outcome.operation.id) id = outcome.operation.id;
      resolveCompletion(outcome);
    },
  };
  return { operation, control };
}
