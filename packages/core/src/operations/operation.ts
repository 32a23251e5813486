import type { InvitationParticipantInfo, ResultInfo } from '../model/graph.js';
import type { OperationState } from '../state/call-record.js';
import type { OperationKind, OperationResources } from './resources.js';

/** How an operation ended. */
export interface OperationOutcome<O = OperationResources[OperationKind]> {
  /** How it ended: Graph said `completed` or `failed`, or no final word came in time. */
  status: 'completed' | 'failed' | 'timedOut';
  /** The resourceData of the final notification (or of the response, when that was final). */
  operation?: O;
  /** Graph's code, subcode and message, when it sent them. */
  resultInfo?: ResultInfo;
}

/**
 * An operation that Graph accepted, and its outcome to come. What every operation method of a
 * handle resolves. Its fields are live: `id` and `status` follow what this process learns.
 */
export interface Operation<K extends OperationKind = OperationKind> {
  /** The action that started it: `invite`, `playPrompt`... */
  readonly kind: K;
  /** The call id, in the form the bot sent it. */
  readonly callId: string;
  /** The operation id from the response (or its Location header); null until Graph names it. */
  readonly id: string | null;
  /** The clientContext it was sent with, generated unless given. */
  readonly clientContext: string;
  /** In lower camel case: `running` as Graph answered, then `completed`, `failed` or `timedOut`. */
  readonly status: OperationState;
  /** Resolves once the operation is final or timed out; never rejects. */
  readonly completion: Promise<OperationOutcome<OperationResources[K]>>;
}

/** An invite that Graph accepted, and its outcome to come. */
export interface Invitation extends Operation<'invite'> {
  /** The invitees, as Graph's answer listed them (or as sent). */
  readonly participants: InvitationParticipantInfo[];
}

/** The Operation each kind resolves: an Invitation for invites. */
export type OperationOf<K extends OperationKind> = K extends 'invite' ? Invitation : Operation<K>;

/** A transfer that Graph accepted; there is no operation, the call's states tell how it went. */
export interface Transfer {
  readonly callId: string;
  /** Completes when the call ends after transferring, fails when it falls back to established, times out otherwise; never rejects. */
  readonly completion: Promise<{ status: 'completed' | 'failed' | 'timedOut'; resultInfo?: ResultInfo }>;
}
