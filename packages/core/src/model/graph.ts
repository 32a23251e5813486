/**
 * The Graph resources the framework reads. Graph adds fields over time and live deliveries
 * carry undocumented ones, so every type keeps unknown fields (`[key: string]: unknown`).
 */

/** An identity: a user, an application, a phone number... */
export interface Identity {
  /** The identity's id: an Entra object id, an app id, a phone number... */
  id?: string | null;
  /** A display name; not unique, and may be absent. */
  displayName?: string | null;
  /** The Entra tenant the identity belongs to. */
  tenantId?: string | null;
  /** Who issued the identity, when Graph says. */
  identityProvider?: string | null;
  [key: string]: unknown;
}

/** The identity kinds an identitySet can hold. */
export const IDENTITY_KINDS = [
  'user',
  'application',
  'applicationInstance',
  'phone',
  'guest',
  'encrypted',
  'onPremises',
  'device',
  'azureCommunicationServicesUser',
  'spoolUser',
  'acsUser',
  'communicationsUser',
] as const;

/** One of {@link IDENTITY_KINDS}. */
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

/** A set of identities naming one party; usually exactly one kind is set. */
export type IdentitySet = { [K in IdentityKind]?: Identity | null } & { [key: string]: unknown };

/** One invitee of `participants/invite`. */
export interface InvitationParticipantInfo {
  /** Who to invite. */
  identity: IdentitySet;
  /** The peer-to-peer call this invite replaces, or the source meeting of a move. */
  replacesCallId?: string | null;
  /** With `replacesCallId`: the participant to move from the source meeting. */
  participantId?: string | null;
  /** Whether the invitee is hidden from the roster. */
  hidden?: boolean | null;
  /** Whether the invitee is left out of the default audio routing group. */
  removeFromDefaultAudioRoutingGroup?: boolean | null;
  /** Beta only. */
  endpointType?: string | null;
  [key: string]: unknown;
}

/** Why an operation or call ended the way it did. */
export interface ResultInfo {
  /** An HTTP-like status code (200, 400, 408...). */
  code?: number | null;
  /** Graph's finer reason code (5001 with 200: the conversation has ended). */
  subcode?: number | null;
  /** Graph's description, for people. */
  message?: string | null;
  [key: string]: unknown;
}

/** A long-running operation: inviteParticipantsOperation, playPromptOperation... */
export interface CommsOperation {
  /** The operation's id; Graph sometimes leaves it out. */
  id?: string | null;
  /** `notStarted`, `running`, `completed` or `failed`, in whatever letter case Graph used. */
  status?: string | null;
  /** The clientContext the operation was sent with. */
  clientContext?: string | null;
  /** Why it ended that way, when it ended. */
  resultInfo?: ResultInfo | null;
  /** The invitees, on an invite operation. */
  participants?: InvitationParticipantInfo[] | null;
  [key: string]: unknown;
}

/** A participant's endpoint description. */
export interface ParticipantInfo {
  /** Who the participant is. */
  identity?: IdentitySet | null;
  /** The kind of endpoint (`default`, `voicemail`, `skypeForBusiness`...). */
  endpointType?: string | null;
  /** The participant's id, when Graph repeats it here. */
  participantId?: string | null;
  [key: string]: unknown;
}

/** A participant of a call, as roster notifications carry it. */
export interface Participant {
  /** The participant's id in this call. */
  id?: string | null;
  /** Who the participant is and from which endpoint. */
  info?: ParticipantInfo | null;
  /** The participant's media streams, as Graph sends them. */
  mediaStreams?: Array<Record<string, unknown>> | null;
  /** Whether the participant is muted. */
  isMuted?: boolean | null;
  /** Whether the participant waits in the meeting's lobby. */
  isInLobby?: boolean | null;
  /** Data the participant supplied to the roster, as Graph passes it on. */
  metadata?: string | null;
  /** Why the participant was removed, on a removal. */
  removedState?: { reason?: string | null; [key: string]: unknown } | null;
  /** Orders roster changes of one participant. */
  rosterSequenceNumber?: number | null;
  [key: string]: unknown;
}

/** A call resource. */
export interface Call {
  /** The call's id. */
  id?: string | null;
  /** The call's state, as Graph wrote it (see `CallState`). */
  state?: string | null;
  /** Why the call ended, once it ended. */
  resultInfo?: ResultInfo | null;
  /** Where Graph sends this call's notifications. */
  callbackUri?: string | null;
  [key: string]: unknown;
}

/** One notification of a callback. */
export interface CommsNotification {
  /** `created`, `updated` or `deleted`, in whatever letter case Graph used. */
  changeType: string;
  /** The old `/app/calls/...` path. */
  resource?: string | null;
  /** The `/communications/calls/...` path. */
  resourceUrl?: string | null;
  /** An object for a call or an operation, an array for participants. */
  resourceData?: unknown;
  [key: string]: unknown;
}

/** A callback body. */
export interface CommsNotifications {
  /** The notifications, in the order Graph listed them. */
  value: CommsNotification[];
  [key: string]: unknown;
}
