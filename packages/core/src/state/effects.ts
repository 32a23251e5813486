import type { CallingBotEventPayloads, ParticipantMove, RosterChange } from '../events/event-map.js';
import type { Call, Participant } from '../model/graph.js';
import type { TransferOutcome } from './transfer.js';
import type { CallRecord, OperationRecord, ReplacementRecord } from './call-record.js';

/** Events a step can tell as they are: their payload is the event's. */
type Told = 'callUpdated' | 'callEstablished' | 'callTerminated' | 'toneReceived' | 'p2pReplaced' | 'notificationUnhandled';

/** An event whose payload the step has whole. */
export type EmitEffect = { [K in Told]: { type: 'emit'; name: K; payload: CallingBotEventPayloads[K] } }[Told];

/**
 * What a state machine step found worth telling. Steps are pure: they return effects and the
 * engine acts on them after the store has committed the step, so an event fires only in the
 * process whose step changed the state. Effects that name an operation record are completed
 * by the engine with the Operation objects this process holds.
 */
export type Effect =
  | EmitEffect
  | { type: 'operationPending'; callId: string; operation: OperationRecord }
  | { type: 'operationFinished'; callId: string; operation: OperationRecord }
  | { type: 'rosterUpdated'; change: RosterChange; joined: Array<{ participant: Participant; operation: OperationRecord }> }
  | { type: 'participantMoved'; move: ParticipantMove; operation: OperationRecord }
  /** A follow-up on another call: the replaced peer-to-peer call learns that an invite replaced it. */
  | { type: 'markReplaced'; callId: string; replacement: ReplacementRecord }
  /** A call offered to the bot: the engine adds answer, reject and redirect. */
  | { type: 'incomingCall'; callId: string; call: Call; receivedAt: number }
  /** The call's keepAlive schedule starts (established) or stops (ended). */
  | { type: 'keepAlive'; callId: string; running: boolean }
  | { type: 'transferFinished'; callId: string; token: string; outcome: TransferOutcome };

/** The effect of an event a step tells as it is. */
export const emit = <K extends Told>(name: K, payload: CallingBotEventPayloads[K]): EmitEffect => ({ type: 'emit', name, payload }) as EmitEffect;

/** A step's result: the record to store (undefined: store nothing) and its effects. */
export interface Step<T = void> {
  record: CallRecord | undefined;
  effects: Effect[];
  value: T;
}

/** Time and limits a step runs with. */
export interface StepEnv {
  now: number;
  operationTimeoutMs: number;
  /** How long finished operations and departed participants are remembered. */
  retentionMs: number;
}
