import type { CommsNotification, InvitationParticipantInfo, Participant, ResultInfo, Call } from '../model/graph.js';
import type { CallRecord, OperationRecord } from './call-record.js';

/**
 * What a state machine step found worth telling. Steps are pure: they return effects and the
 * bot turns them into events after the store has committed the step, so an event fires only in
 * the process whose step changed the state.
 */
export type Effect =
  | { type: 'operationPending'; callId: string; operation: OperationRecord }
  | { type: 'operationFinished'; callId: string; operation: OperationRecord }
  | {
      type: 'rosterUpdated';
      callId: string;
      participants: Participant[];
      added: Participant[];
      updated: Participant[];
      removed: Participant[];
      /** Added participants that answer an invitation of the bot: that invitation's operation. */
      joined: Array<{ participant: Participant; operation: OperationRecord }>;
    }
  | { type: 'callUpdated'; callId: string; state: string | undefined; call: Call }
  | { type: 'callTerminated'; callId: string; resultInfo?: ResultInfo }
  | {
      type: 'p2pReplaced';
      groupCallId: string;
      replacedCallId: string;
      operationId: string | null;
      clientContext: string | null;
      participant: InvitationParticipantInfo;
    }
  | { type: 'notificationUnhandled'; callId?: string; notification: CommsNotification };

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
