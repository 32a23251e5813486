import type { CallingBotEventPayloads, ParticipantMove, RosterChange } from '../events/event-map.js';
import type { Call, Participant } from '../model/graph.js';
import type { TransferOutcome } from './transfer.js';
import type { CallRecord, OperationRecord, ReplacementRecord, TransferRecord } from './call-record.js';

/** Events a step can tell as they are: their payload is the event's. */
type Told = 'callUpdated' | 'callEstablished' | 'callTerminated' | 'toneReceived' | 'p2pReplaced' | 'notificationUnhandled';

/** What a step tells of an event: all of it but its `eventId`, which the engine gives it. */
export type ToldPayload<K extends Told> = Omit<CallingBotEventPayloads[K], 'eventId'>;

/** An event whose payload the step has whole. */
export type EmitEffect = { [K in Told]: { type: 'emit'; name: K; payload: ToldPayload<K> } }[Told];

/**
 * What a state machine step found worth telling. Steps are pure: they return effects and the
 * engine acts on them after the store has committed the step, so an event fires only in the
 * process whose step changed the state. Effects that name an operation record are completed
 * by the engine with the Operation objects this process holds.
 */
export type Effect =
  | EmitEffect
  /** An operation that will time out: the engine keeps its deadline (in the store, when it can). */
  | { type: 'operationPending'; callId: string; operation: OperationRecord }
  /** A transfer under way, likewise. */
  | { type: 'transferPending'; callId: string; transfer: TransferRecord }
  /** An operation became final: the engine settles what awaits it. */
  | { type: 'operationFinished'; callId: string; operation: OperationRecord }
  /** The roster changed; `joined` pairs new participants with the invites they answer. */
  | { type: 'rosterUpdated'; change: RosterChange; joined: Array<{ participant: Participant; operation: OperationRecord }> }
  /** A participant was moved in from another meeting. */
  | { type: 'participantMoved'; move: ParticipantMove; operation: OperationRecord }
  /** A follow-up on another call: the replaced peer-to-peer call learns that an invite replaced it. */
  | { type: 'markReplaced'; callId: string; replacement: ReplacementRecord }
  /** A call offered to the bot: the engine adds answer, reject and redirect. */
  | { type: 'incomingCall'; callId: string; call: Call; receivedAt: number }
  /** The call's keepAlive schedule starts (established) or stops (ended). */
  | { type: 'keepAlive'; callId: string; running: boolean }
  /** A transfer's outcome, for the process that holds its `token`. */
  | { type: 'transferFinished'; callId: string; token: string; outcome: TransferOutcome };

/** The effect of an event a step tells as it is. */
export const emit = <K extends Told>(name: K, payload: ToldPayload<K>): EmitEffect => ({ type: 'emit', name, payload }) as EmitEffect;

/** A step's result: the record to store (undefined: store nothing) and its effects. */
export interface Step<T = void> {
  /** The new record, or undefined to store nothing. */
  record: CallRecord | undefined;
  /** What the engine acts on once the record is committed. */
  effects: Effect[];
  /** What the step returns to its caller. */
  value: T;
}

/** Time and limits a step runs with. */
export interface StepEnv {
  /** The current time (epoch ms). */
  now: number;
  /** How long an operation may wait for its final notification. */
  operationTimeoutMs: number;
  /** How long finished operations and departed participants are remembered. */
  retentionMs: number;
}
