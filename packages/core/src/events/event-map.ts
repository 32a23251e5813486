import type { Call, CommsNotification, InvitationParticipantInfo, Participant, ResultInfo } from '../model/graph.js';
import type { Invitation, Operation } from '../operations/operation.js';
import type { OperationEventKind, OperationKind, OperationResources } from '../operations/resources.js';
import type { AnswerRequest, RedirectRequest, RejectRequest } from '../operations/requests.js';
import type { CallState } from '../state/call-states.js';

/** Every event a `CallingBot` emits. Handler types derive from this list and the payload map. */
export const CALLING_BOT_EVENTS = [
  'operationCompleted',
  'operationFailed',
  'rosterUpdated',
  'p2pReplaced',
  'participantMoved',
  'incomingCall',
  'callEstablished',
  'callUpdated',
  'toneReceived',
  'callTerminated',
  'notificationUnhandled',
  'error',
] as const;

/** One of {@link CALLING_BOT_EVENTS}. */
export type CallingBotEventName = (typeof CALLING_BOT_EVENTS)[number];

/** What every operation event says, whatever the kind. */
interface OperationEventBase {
  /** In the form the bot sent it (or first heard it, for operations it did not send). */
  callId: string;
  /** May be null: Graph sometimes reports operations without an id. */
  operationId: string | null;
  clientContext: string | null;
}

/** One kind's variant: `kind` narrows `operation` to that kind's resource. */
type OperationEventOf<K extends OperationEventKind> = OperationEventBase & {
  kind: K;
  /** The resource of the final notification (or of Graph's answer, when that was final). */
  operation: OperationResources[K] | undefined;
  /** The Operation this answers, when this bot sent it (any process sharing the store). */
  sent?: K extends OperationKind ? Operation<K> : never;
  /** The Invitation this answers, when this bot sent it (the same object as `sent`). */
  invitation?: K extends 'invite' ? Invitation : never;
};

type EachKind<T extends Record<OperationEventKind, unknown>> = T[OperationEventKind];

/** An operation's final notification said `completed`. Narrow `operation` with `kind`. */
export type OperationCompletedEvent = EachKind<{ [K in OperationEventKind]: OperationEventOf<K> }>;

/** An operation's final notification said `failed`, it timed out, or its call ended first. */
export type OperationFailedEvent = EachKind<{
  [K in OperationEventKind]: OperationEventOf<K> & {
    resultInfo?: ResultInfo;
    reason: 'failed' | 'timedOut';
  };
}>;

/** An added participant that answers an invitation of this bot. */
export interface JoinedParticipant {
  participant: Participant;
  invitation: Invitation;
}

/** How a participants notification changed the roster. */
export interface RosterChange {
  callId: string;
  /** The whole roster after the change. */
  participants: Participant[];
  added: Participant[];
  updated: Participant[];
  removed: Participant[];
}

/** A participants notification changed the roster. */
export interface RosterUpdatedEvent extends RosterChange {
  /** The added participants that answer an invitation this bot sent to that call. */
  joined: JoinedParticipant[];
}

/** An invite with `replacesCallId` completed and the replaced peer-to-peer call ended. */
export interface P2pReplacedEvent {
  groupCallId: string;
  replacedCallId: string;
  operationId: string | null;
  clientContext: string | null;
  participant: InvitationParticipantInfo;
}

/** An invite with `replacesCallId` and `participantId` (a move between meetings) completed. */
export interface ParticipantMove {
  /** The meeting the participant was moved into. */
  callId: string;
  /** The meeting the participant came from. */
  sourceCallId: string;
  participantId: string;
  operationId: string | null;
  clientContext: string | null;
  participant: InvitationParticipantInfo;
}

/** An invite with `replacesCallId` and `participantId` (a move between meetings) completed. */
export interface ParticipantMovedEvent extends ParticipantMove {
  invitation?: Invitation;
}

/** A call's own resource changed. */
export interface CallUpdatedEvent {
  callId: string;
  /** As Graph documents it: `establishing`, `established`, `terminated`... */
  state: CallState | undefined;
  call: Call;
}

/** A call was offered to the bot. Answer, reject or redirect it within 15 s, or Graph drops it (408/1106). */
export interface IncomingCallEvent {
  callId: string;
  /** The call resource: `source` (the caller), `targets`, `requestedModalities`, `tenantId`... */
  call: Call;
  /** When the bot received it (ms since epoch). */
  receivedAt: number;
  /** `bot.call(callId).answer(options)`. */
  answer(options?: AnswerRequest): Promise<void>;
  /** `bot.call(callId).reject(options)`. */
  reject(options?: RejectRequest): Promise<void>;
  /** `bot.call(callId).redirect(request)`. */
  redirect(request: RedirectRequest): Promise<void>;
}

/** A call first reached `established` (once, whatever order its notifications came in). */
export interface CallEstablishedEvent {
  callId: string;
  call: Call;
}

/** A DTMF tone pressed in the call (after subscribeToTone); once per sequenceId. */
export interface ToneReceivedEvent {
  callId: string;
  /** `tone0`...`tone9`, `star`, `pound`, `a`...`d`, `flash`. */
  tone: string;
  /** Orders the tones of a call. */
  sequenceId: number;
}

/** A call reached `terminated` or was deleted; once. */
export interface CallTerminatedEvent {
  callId: string;
  resultInfo?: ResultInfo;
  /** A readable reason for documented end codes (`transferred`, `keepAlive missed`...); the numbers stay on resultInfo. */
  reason?: string;
}

/** A notification no built-in handler understands. */
export interface NotificationUnhandledEvent {
  notification: CommsNotification;
  callId?: string;
}

/** Where an error reported on the `error` event came from. */
export interface ErrorContext {
  /** `internal`: a state machine step failed on a notification (answered 500). */
  source: 'listener' | 'handler' | 'store' | 'timeout' | 'internal';
  /** The event whose listener threw. */
  event?: CallingBotEventName;
  callId?: string;
  notification?: CommsNotification;
}

/** The payload of each event. */
export interface CallingBotEventPayloads {
  operationCompleted: OperationCompletedEvent;
  operationFailed: OperationFailedEvent;
  rosterUpdated: RosterUpdatedEvent;
  p2pReplaced: P2pReplacedEvent;
  participantMoved: ParticipantMovedEvent;
  incomingCall: IncomingCallEvent;
  callEstablished: CallEstablishedEvent;
  callUpdated: CallUpdatedEvent;
  toneReceived: ToneReceivedEvent;
  callTerminated: CallTerminatedEvent;
  notificationUnhandled: NotificationUnhandledEvent;
}

/** The listener signature of each event, as `eventemitter3` types it. */
export type CallingBotEvents = {
  [K in keyof CallingBotEventPayloads]: (event: CallingBotEventPayloads[K]) => void | Promise<void>;
} & {
  error: (error: Error, context: ErrorContext) => void;
};
