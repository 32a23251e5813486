/**
 * The Graph resources the framework reads. Graph adds fields over time and live deliveries
 * carry undocumented ones, so every type keeps unknown fields (`[key: string]: unknown`).
 */

/** An identity: a user, an application, a phone number... */
export interface Identity {
  id?: string | null;
  displayName?: string | null;
  tenantId?: string | null;
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
  identity: IdentitySet;
  /** The peer-to-peer call this invite replaces, or the source meeting of a move. */
  replacesCallId?: string | null;
  /** With `replacesCallId`: the participant to move from the source meeting. */
  participantId?: string | null;
  hidden?: boolean | null;
  removeFromDefaultAudioRoutingGroup?: boolean | null;
  /** Beta only. */
  endpointType?: string | null;
  [key: string]: unknown;
}

/** Why an operation or call ended the way it did. */
export interface ResultInfo {
  code?: number | null;
  subcode?: number | null;
  message?: string | null;
  [key: string]: unknown;
}

/** A long-running operation: inviteParticipantsOperation, playPromptOperation... */
export interface CommsOperation {
  id?: string | null;
  status?: string | null;
  clientContext?: string | null;
  resultInfo?: ResultInfo | null;
  participants?: InvitationParticipantInfo[] | null;
  [key: string]: unknown;
}

/** A participant's endpoint description. */
export interface ParticipantInfo {
  identity?: IdentitySet | null;
  endpointType?: string | null;
  participantId?: string | null;
  [key: string]: unknown;
}

/** A participant of a call, as roster notifications carry it. */
export interface Participant {
  id?: string | null;
  info?: ParticipantInfo | null;
  mediaStreams?: Array<Record<string, unknown>> | null;
  isMuted?: boolean | null;
  isInLobby?: boolean | null;
  metadata?: string | null;
  removedState?: { reason?: string | null; [key: string]: unknown } | null;
  /** Orders roster changes of one participant. */
  rosterSequenceNumber?: number | null;
  [key: string]: unknown;
}

/** A call resource. */
export interface Call {
  id?: string | null;
  state?: string | null;
  resultInfo?: ResultInfo | null;
  callbackUri?: string | null;
  [key: string]: unknown;
}

/** One notification of a callback. */
export interface CommsNotification {
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
  value: CommsNotification[];
  [key: string]: unknown;
}
