import type { Call, CommsOperation, InvitationParticipantInfo, Participant, ResultInfo } from '../model/graph.js';

/** An operation's state: Graph's statuses plus `timedOut`, which only the framework decides. */
export type OperationState = 'notStarted' | 'running' | 'completed' | 'failed' | 'timedOut';

/** What the state machine knows of one operation of a call. */
export interface OperationRecord {
  /** `c:<clientContext>`, or `i:<id>` when Graph sent no clientContext. */
  key: string;
  id: string | null;
  clientContext: string | null;
  status: OperationState;
  /** Sent by `bot.invite()` (of this or another process sharing the store). */
  sentByBot: boolean;
  /** The participants the bot invited. */
  invited?: InvitationParticipantInfo[];
  /** The operation as Graph last described it. */
  operation?: CommsOperation;
  resultInfo?: ResultInfo;
  createdAt: number;
  /** When a pending operation times out (epoch ms). */
  deadline?: number;
  finishedAt?: number;
}

/** A roster entry, keyed by participant id, or by identity while Graph gives no id. */
export interface RosterEntry {
  participant: Participant;
  seq?: number;
}

/** Remembers a participant that left, so a late update of it does not bring it back. */
export interface RemovedEntry {
  seq?: number;
  at: number;
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
  /** The call's state, in lower camel case. */
  state?: string;
  call?: Call;
  /** Set once the call is terminated or deleted. */
  endedAt?: number;
  resultInfo?: ResultInfo;
  roster: Record<string, RosterEntry>;
  /** The sequenceNumber of the latest delta roster applied (beta `deltaParticipants`). */
  rosterSequence?: number;
  removed: Record<string, RemovedEntry>;
  operations: Record<string, OperationRecord>;
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

const EMPTY_ROSTER: Record<string, RosterEntry> = Object.freeze({}) as Record<string, RosterEntry>;
const EMPTY_REMOVED: Record<string, RemovedEntry> = Object.freeze({}) as Record<string, RemovedEntry>;
const EMPTY_OPERATIONS: Record<string, OperationRecord> = Object.freeze({}) as Record<string, OperationRecord>;
const EMPTY_RECENT: string[] = Object.freeze([]) as unknown as string[];

/** Whether an operation has reached a final state. */
export const isFinal = (status: OperationState): boolean =>
  status === 'completed' || status === 'failed' || status === 'timedOut';

/** The key an operation is kept under. */
export const operationKey = (clientContext: string | null | undefined, id: string | null | undefined): string | undefined =>
  clientContext ? `c:${clientContext}` : id ? `i:${id}` : undefined;
