import type { InvitationParticipantInfo } from '../model/graph.js';
import type { Invitation, Operation, OperationOutcome } from '../operations/operation.js';
import type { OperationKind } from '../operations/resources.js';
import type { OperationState } from '../state/call-record.js';

// Set in the class's static block: only this module can move an operation along.
let learnOf: (op: LiveOperation, id: string | null, status: OperationState | undefined, participants?: InvitationParticipantInfo[]) => void;
let resolveOf: (op: LiveOperation, outcome: OperationOutcome) => void;

/** What a live operation starts from. */
export interface LiveOperationInit {
  kind: OperationKind;
  callId: string;
  clientContext: string;
  id?: string | null;
  status?: OperationState;
  participants?: InvitationParticipantInfo[];
}

/**
 * The Operation a handle method resolves: read-only to its user, moved along by the registry
 * alone, so that `id` and `status` are never stale in this process. Private fields rather than
 * closures: a pending operation costs one object, its promise and one resolver.
 */
class LiveOperation implements Operation {
  readonly kind: OperationKind;
  readonly callId: string;
  readonly clientContext: string;
  readonly completion: Promise<OperationOutcome>;
  #id: string | null;
  #status: OperationState;
  #resolve: ((outcome: OperationOutcome) => void) | undefined;

  constructor(init: LiveOperationInit) {
    this.kind = init.kind;
    this.callId = init.callId;
    this.clientContext = init.clientContext;
    this.#id = init.id ?? null;
    this.#status = init.status ?? 'notStarted';
    this.completion = new Promise<OperationOutcome>((resolve) => (this.#resolve = resolve));
  }

  get id(): string | null {
    return this.#id;
  }

  get status(): OperationState {
    return this.#status;
  }

  /** The fields as a plain object, for logs and JSON. */
  toJSON(): Record<string, unknown> {
    return { kind: this.kind, callId: this.callId, id: this.#id, clientContext: this.clientContext, status: this.#status };
  }

  static {
    learnOf = (op, id, status) => {
      if (id !== null) op.#id = id;
      if (op.#resolve && status) op.#status = status;
    };
    resolveOf = (op, outcome) => {
      const resolve = op.#resolve;
      if (!resolve) return;
      op.#resolve = undefined;
      op.#status = outcome.status;
      const id = outcome.operation?.id;
      if (op.#id === null && typeof id === 'string' && id) op.#id = id;
      resolve(outcome);
    };
  }
}

let listedOf: (op: LiveInvitation, participants: InvitationParticipantInfo[]) => void;

/** An invite's Operation, with the invitees as Graph's answer listed them. */
class LiveInvitation extends LiveOperation implements Invitation {
  declare readonly kind: 'invite';
  #participants: InvitationParticipantInfo[];

  constructor(init: LiveOperationInit & { participants: InvitationParticipantInfo[] }) {
    super(init);
    this.#participants = init.participants;
  }

  get participants(): InvitationParticipantInfo[] {
    return this.#participants;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), participants: this.#participants };
  }

  static {
    listedOf = (op, participants) => {
      op.#participants = participants;
    };
  }
}

/** A new live operation (an Invitation for invites). */
export function liveOperation(init: LiveOperationInit): Operation {
  return init.kind === 'invite' ? new LiveInvitation({ ...init, participants: init.participants ?? [] }) : new LiveOperation(init);
}

/** What Graph answered: the id (in the answer's form), a status, the invitees as Graph listed them. */
export function learn(op: Operation, id: string | null, status: OperationState | undefined, participants?: InvitationParticipantInfo[]): void {
  if (!(op instanceof LiveOperation)) return;
  learnOf(op, id, status);
  if (participants && participants.length > 0 && op instanceof LiveInvitation) listedOf(op, participants);
}

/** Settles the completion (once) and the status. */
export function settle(op: Operation, outcome: OperationOutcome): void {
  if (op instanceof LiveOperation) resolveOf(op, outcome);
}
