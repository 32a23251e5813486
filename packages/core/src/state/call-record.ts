import type { Call, CommsOperation, InvitationParticipantInfo, Participant, ResultInfo } from '../model/graph.js';
import type { OperationEventKind } from '../operations/resources.js';
import type { CallState } from './call-states.js';
import { canonicalId } from '../model/ids.js';
import type { Effect } from './effects.js';

/** An operation's state: Graph's statuses plus `timedOut`, which only the framework decides. */
export type OperationState = 'notStarted' | 'running' | 'completed' | 'failed' | 'timedOut';

/** What the state machine knows of one operation of a call. */
export interface OperationRecord {
  /** `c:<clientContext>`, or `i:<id>` when Graph sent no clientContext. */
  key: string;
  /** Graph's operation id, once known. */
  id: string | null;
  /** The clientContext it was sent with, or Graph reported. */
  clientContext: string | null;
  /** Where it stands. */
  status: OperationState;
  /** What the bot sent, else what the resource's `@odata.type` names. */
  kind: OperationEventKind;
  /** Sent by this bot (this process or another sharing the store). */
  sent: boolean;
  /** An invite's invitees, as the bot sent them. */
  participants?: InvitationParticipantInfo[];
  /** The operation as Graph last described it. */
  operation?: CommsOperation;
  /** Why it ended that way, once it ended. */
  resultInfo?: ResultInfo;
  /** When it was recorded (epoch ms). */
  createdAt: number;
  /** When a pending operation times out (epoch ms). */
  deadline?: number;
  /** When it became final (epoch ms). */
  finishedAt?: number;
}

/** Who a roster entry is: Graph's participant id, or its identity key while Graph gives no id. */
export interface RosterKey {
  /** Graph's participant id, once Graph gave one. */
  id?: string;
  /** `<kind>:<id>` of the identity (see `identityKey`); set only while `id` is not. */
  identity?: string;
}

/** One participant of the roster. */
export interface RosterEntry extends RosterKey {
  /** The participant as Graph last described it. */
  participant: Participant;
  /** The participant's latest `rosterSequenceNumber`, when Graph numbers them. */
  seq?: number;
}

/** Remembers a participant that left, so a late update of it does not bring it back. */
export interface RemovedEntry extends RosterKey {
  /** The `rosterSequenceNumber` of the removal, when Graph numbers them. */
  seq?: number;
  /** When the participant left (epoch ms). */
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
  /** The group call that replaced this one. */
  groupCallId: string;
  /** The invite operation's id, once known. */
  operationId: string | null;
  /** The invite's clientContext. */
  clientContext: string | null;
  /** The invitee that carried `replacesCallId`. */
  participant: InvitationParticipantInfo;
}

/**
 * Everything the framework keeps of one call. Plain JSON, so that any store can hold it;
 * state machine steps never modify a record in place, they return a new one.
 */
export interface CallRecord {
  /** The call's id, in its dashed lower-case form when GUID-shaped. */
  callId: string;
  /** The call's state, as Graph documents it; never goes back. */
  state?: CallState;
  /** The call resource as Graph last described it. */
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
  /** Why the call ended, once it ended. */
  resultInfo?: ResultInfo;
  /**
   * The participants, in the order they joined. Arrays rather than tables keyed by id, here and
   * for operations: a table with keys of its own per call gives every call its own hidden class
   * in V8, which made a million tracked calls several times slower to update.
   */
  roster: RosterEntry[];
  /** The sequenceNumber of the latest delta roster applied (beta `deltaParticipants`). */
  rosterSequence?: number;
  /** Participants who left, remembered for a while. */
  removed: RemovedEntry[];
  /** The call's operations, oldest first; each has its own `key`. */
  operations: OperationRecord[];
  /** Set when an invite replaced this peer-to-peer call. */
  replacement?: ReplacementRecord;
  /** When `p2pReplaced` was told (epoch ms), so that it is told once. */
  p2pReplacedAt?: number;
  /** Fingerprints of the latest notifications, to recognise a repeated delivery. */
  recent: string[];
  /** When the record last changed (epoch ms). */
  updatedAt: number;
  /**
   * What committed steps still have to tell: written with the state they describe, in the same
   * atomic write, and removed once emitted (see {@link OutboxEntry}). Oldest first.
   */
  outbox?: OutboxEntry[];
}

/**
 * The effects of one committed step, until they are emitted. The process that wrote the step
 * emits them and removes the entry; if it dies first, any process that touches the call after
 * `leaseUntil` (or sweeps stale outboxes) takes the entry over and emits it, so that nothing
 * committed is lost. The events it emits carry `eventId` `<id>:<index>`, the same wherever and
 * however often they are emitted.
 */
export interface OutboxEntry {
  /** Unique among the call's entries (a random UUID). */
  id: string;
  /** Orders a call's entries: larger than every entry's before it. */
  seq: number;
  /** The process emitting it (an opaque id of that process). */
  owner: string;
  /** Until then (epoch ms) only `owner` emits it; afterwards any process may take it over. */
  leaseUntil: number;
  /** What is left to tell, in order. */
  effects: Effect[];
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
export const operationAt = (record: CallRecord, key: string): OperationRecord | undefined => record.operations.findLast((op) => op.key === key); // unique keys, recent ones asked for most

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
