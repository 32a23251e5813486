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

/** What every event about a call carries. */
export interface IdentifiedEvent {
  /**
   * This event's own id, stable across processes: the rare event that a process emits again
   * after another one died before it had marked the event emitted comes with the same id (each
   * event fires at least once across crashes, and exactly once otherwise).
   */
  eventId: string;
}

/** What every operation event says, whatever the kind. */
interface OperationEventBase extends IdentifiedEvent {
  /** In the form the bot sent it (or first heard it, for operations it did not send). */
  callId: string;
  /** May be null: Graph sometimes reports operations without an id. */
  operationId: string | null;
  /** The clientContext the operation was sent with; null when Graph reported none. */
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
    /** Graph's code, subcode and message; for a call that ended first, the call's ending resultInfo. */
    resultInfo?: ResultInfo;
    /** `failed` when Graph (or the call's end) said so, `timedOut` when no final notification came in time. */
    reason: 'failed' | 'timedOut';
  };
}>;

/** An added participant that answers an invitation of this bot. */
export interface JoinedParticipant {
  /** The participant as the roster now lists it. */
  participant: Participant;
  /** The invitation it answers. */
  invitation: Invitation;
}

/** How a participants notification changed the roster. */
export interface RosterChange {
  /** The call whose roster changed, in the form the bot used it. */
  callId: string;
  /** The whole roster after the change. */
  participants: Participant[];
  /** Participants new to the roster. */
  added: Participant[];
  /** Participants already on the roster whose entry changed. */
  updated: Participant[];
  /** Participants who left the roster. */
  removed: Participant[];
}

/** A participants notification changed the roster. */
export interface RosterUpdatedEvent extends RosterChange, IdentifiedEvent {
  /** The added participants that answer an invitation this bot sent to that call. */
  joined: JoinedParticipant[];
}

/** An invite with `replacesCallId` completed and the replaced peer-to-peer call ended. */
export interface P2pReplacedEvent extends IdentifiedEvent {
  /** The group call that took the peer-to-peer call's place. */
  groupCallId: string;
  /** The peer-to-peer call that ended. */
  replacedCallId: string;
  /** The invite operation's id; null when Graph reported none. */
  operationId: string | null;
  /** The invite's clientContext. */
  clientContext: string | null;
  /** The invitee that carried `replacesCallId`. */
  participant: InvitationParticipantInfo;
}

/** An invite with `replacesCallId` and `participantId` (a move between meetings) completed. */
export interface ParticipantMove {
  /** The meeting the participant was moved into. */
  callId: string;
  /** The meeting the participant came from. */
  sourceCallId: string;
  /** The moved participant's id in the source meeting. */
  participantId: string;
  /** The invite operation's id; null when Graph reported none. */
  operationId: string | null;
  /** The invite's clientContext. */
  clientContext: string | null;
  /** The invitee that carried `replacesCallId` and `participantId`. */
  participant: InvitationParticipantInfo;
}

/** An invite with `replacesCallId` and `participantId` (a move between meetings) completed. */
export interface ParticipantMovedEvent extends ParticipantMove, IdentifiedEvent {
  /** The Invitation this answers, when this bot sent the invite. */
  invitation?: Invitation;
}

/** A call's own resource changed. */
export interface CallUpdatedEvent extends IdentifiedEvent {
  /** The call, in the form the bot used it. */
  callId: string;
  /** As Graph documents it: `establishing`, `established`, `terminated`... */
  state: CallState | undefined;
  /** The call resource as the notification carried it. */
  call: Call;
}

/** A call was offered to the bot. Answer, reject or redirect it within 15 s, or Graph drops it (408/1106). */
export interface IncomingCallEvent extends IdentifiedEvent {
  /** The offered call's id. */
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
export interface CallEstablishedEvent extends IdentifiedEvent {
  /** The call, in the form the bot used it. */
  callId: string;
  /** The call resource as the notification carried it. */
  call: Call;
}

/** A DTMF tone pressed in the call (after subscribeToTone); once per sequenceId. */
export interface ToneReceivedEvent extends IdentifiedEvent {
  /** The call the tone was pressed in. */
  callId: string;
  /** `tone0`...`tone9`, `star`, `pound`, `a`...`d`, `flash`. */
  tone: string;
  /** Orders the tones of a call. */
  sequenceId: number;
}

/** A call reached `terminated` or was deleted; once. */
export interface CallTerminatedEvent extends IdentifiedEvent {
  /** The call that ended, in the form the bot used it. */
  callId: string;
  /** Graph's code, subcode and message for the end, when it sent them. */
  resultInfo?: ResultInfo;
  /** A readable reason for documented end codes (`transferred`, `keepAlive missed`...); the numbers stay on resultInfo. */
  reason?: string;
}

/** A notification no built-in handler understands. */
export interface NotificationUnhandledEvent extends IdentifiedEvent {
  /** The notification as received. */
  notification: CommsNotification;
  /** The call it names, when its path names one. */
  callId?: string;
}

/** Where an error reported on the `error` event came from. */
export interface ErrorContext {
  /** `internal`: a state machine step failed on a notification (answered 500). */
  source: 'listener' | 'handler' | 'store' | 'timeout' | 'internal';
  /** The event whose listener threw. */
  event?: CallingBotEventName;
  /** The call concerned, when there is one. */
  callId?: string;
  /** The notification being processed, when there was one. */
  notification?: CommsNotification;
}

/** The payload of each event. */
export interface CallingBotEventPayloads {
  /** An operation's final notification said `completed`. */
  operationCompleted: OperationCompletedEvent;
  /** An operation failed, timed out, or its call ended first. */
  operationFailed: OperationFailedEvent;
  /** A participants notification changed the roster. */
  rosterUpdated: RosterUpdatedEvent;
  /** A group call replaced a peer-to-peer call. */
  p2pReplaced: P2pReplacedEvent;
  /** A participant was moved in from another meeting. */
  participantMoved: ParticipantMovedEvent;
  /** Graph offers the bot a call. */
  incomingCall: IncomingCallEvent;
  /** A call first reached `established`. */
  callEstablished: CallEstablishedEvent;
  /** A call's own resource changed. */
  callUpdated: CallUpdatedEvent;
  /** A DTMF tone was pressed. */
  toneReceived: ToneReceivedEvent;
  /** A call ended. */
  callTerminated: CallTerminatedEvent;
  /** No built-in handler understands a notification. */
  notificationUnhandled: NotificationUnhandledEvent;
}

/** The listener signature of each event, as `eventemitter3` types it. */
export type CallingBotEvents = {
  [K in keyof CallingBotEventPayloads]: (event: CallingBotEventPayloads[K]) => void | Promise<void>;
} & {
  /** A listener or handler threw, or the store failed. */
  error: (error: Error, context: ErrorContext) => void;
};
