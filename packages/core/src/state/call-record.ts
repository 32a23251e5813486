import type { Call, CommsOperation, InvitationParticipantInfo, Participant, ResultInfo } from '../model/graph.js';
import type { OperationEventKind } from '../operations/resources.js';
import type { CallState } from './call-states.js';
import { canonicalId } from '../model/ids.js';

/** An operation's state: Graph's statuses plus `timedOut`, which only the framework decides. */
export type OperationState = 'notStarted' | 'running' | 'completed' | 'failed' | 'timedOut';

/** What the state machine knows of one operation of a call. */
export interface OperationRecord {
  /** `c:<clientContext>`, or `i:<id>` when Graph sent no clientContext. */
  key: string;
  id: string | null;
  clientContext: string | null;
  status: OperationState;
  /** What the bot sent, else what the resource's `@odata.type` names. */
  kind: OperationEventKind;
  /** Sent by this bot (this process or another sharing the store). */
  sent: boolean;
  /** An invite's invitees, as the bot sent them. */
  participants?: InvitationParticipantInfo[];
  /** The operation as Graph last described it. */
  operation?: CommsOperation;
  resultInfo?: ResultInfo;
  createdAt: number;
  /** When a pending operation times out (epoch ms). */
  deadline?: number;
  finishedAt?: number;
}

/** Who a roster entry is: Graph's participant id, or its identity key while Graph gives no id. */
export interface RosterKey {
  id?: string;
  /** `<kind>:<id>` of the identity (see `identityKey`); set only while `id` is not. */
  identity?: string;
}

/** One participant of the roster. */
export interface RosterEntry extends RosterKey {
  participant: Participant;
  seq?: number;
}

/** Remembers a participant that left, so a late update of it does not bring it back. */
export interface RemovedEntry extends RosterKey {
  seq?: number;
  at: number;
}

/** A transfer the bot requested, until the call's states tell how it went. */
export interface TransferRecord {
  /** Ties the outcome to the process that awaits it. */
  token: string;
  startedAt: number;
  deadline: number;
  /** The transferring state the call went through, once it did. */
  through?: 'transferring' | 'transferAccepted';
}

/** Set on a peer-to-peer call that an invite with `replacesCallId` replaced. */
export interface ReplacementRecord {
  groupCallId: string;
  operationId: string | null;
  clientContext: string | null;
  participant: InvitationParticipantInfo;
}

/**
 * Everything the framework keeps of one call. Plain JSON, so that any store can hold it;
 * state machine steps never modify a record in place, they return a new one.
 */
export interface CallRecord {
  callId: string;
  /** The call's state, as Graph documents it; never goes back. */
  state?: CallState;
  call?: Call;
  /** When the call was offered to the bot (`incoming`), once. */
  offeredAt?: number;
  /** When the call first reached `established`. */
  establishedAt?: number;
  /** The sequence ids of the latest DTMF tones told. */
  tones?: number[];
  /** A transfer under way. */
  transfer?: TransferRecord;
  /** Set once the call is terminated or deleted. */
  endedAt?: number;
  resultInfo?: ResultInfo;
  /**
   * The participants, in the order they joined. Arrays rather than tables keyed by id, here and
   * for operations: a table with keys of its own per call gives every call its own hidden class
   * in V8, which made a million tracked calls several times slower to update.
   */
  roster: RosterEntry[];
  /** The sequenceNumber of the latest delta roster applied (beta `deltaParticipants`). */
  rosterSequence?: number;
  removed: RemovedEntry[];
  /** The call's operations, oldest first; each has its own `key`. */
  operations: OperationRecord[];
  replacement?: ReplacementRecord;
  p2pReplacedAt?: number;
  /** Fingerprints of the latest notifications, to recognise a repeated delivery. */
  recent: string[];
  updatedAt: number;
}

/** A new, empty record. */
export function emptyCallRecord(callId: string, now: number): CallRecord {
  // Steps copy before they write, so every new record can share the same empty parts: a million
  // quiet calls then cost a million small objects, not four million.
  return { callId, roster: EMPTY_ROSTER, removed: EMPTY_REMOVED, operations: EMPTY_OPERATIONS, recent: EMPTY_RECENT, updatedAt: now };
}

const EMPTY_ROSTER: RosterEntry[] = Object.freeze([]) as unknown as RosterEntry[];
const EMPTY_REMOVED: RemovedEntry[] = Object.freeze([]) as unknown as RemovedEntry[];
const EMPTY_OPERATIONS: OperationRecord[] = Object.freeze([]) as unknown as OperationRecord[];
const EMPTY_RECENT: string[] = Object.freeze([]) as unknown as string[];

/** The operation kept under `key`. */
export const operationAt = (record: CallRecord, key: string): OperationRecord | undefined => record.operations.find((op) => op.key === key);

/** Whether an operation has reached a final state. */
export const isFinal = (status: OperationState): boolean =>
  status === 'completed' || status === 'failed' || status === 'timedOut';

/** The key of an operation that carries a clientContext (every operation the bot sends does). */
export const contextKey = (clientContext: string): string => `c:${clientContext}`;

/** The key an operation is kept under. */
export const operationKey = (clientContext: string | null | undefined, id: string | null | undefined): string | undefined =>
  clientContext ? contextKey(clientContext) : id ? idKey(id) : undefined;

/** The key of an operation known only by its id, in canonical form. */
export const idKey = (id: string): string => `i:${canonicalId(id)}`;
