import type { IdentitySetInput } from '../model/identity.js';

/*
 * The Graph types that request bodies are made of, as the bot sends them: each names the fields
 * of Microsoft's v1.0 (and beta) pages and no others, so that a typo fails to compile and, at run
 * time, is refused before any request. What Graph sends back keeps its open types (model/graph.ts).
 */

/**
 * Fields Graph takes that these types do not name yet (a beta field, one Graph adds later):
 * merged as they are into the object that carries `extra` when it is sent. A key that the type
 * names already is refused: give that field itself, so that its rules are checked. A type, not
 * an interface, so that an invitee with it is still an `InvitationParticipantInfo`.
 */
export type WithExtra = {
  /** Fields to send as they are, beside the named ones. */
  extra?: Record<string, unknown>;
};

/** A media file: `uri` (https), and the `resourceId` it was pre-fetched under. */
export interface MediaInfo {
  /** Graph's type annotation (`#microsoft.graph.mediaInfo`); optional. */
  '@odata.type'?: string;
  /** Where Graph fetches the file: an https URL. */
  uri: string;
  /** The id Graph caches the file under, to play it again without fetching it. */
  resourceId?: string;
}

/** A media file to play: `mediaInfo.uri` (https, or a pre-fetched `resourceId`). */
export interface MediaPrompt {
  /** Graph's type annotation (`#microsoft.graph.mediaPrompt`); optional. */
  '@odata.type'?: string;
  /** The file to play. */
  mediaInfo: MediaInfo;
}

/** The media a call carries. */
export type Modality = 'audio' | 'video' | 'videoBasedScreenSharing';

/** Who hosts the call's media: Graph (service-hosted, the default) or the bot (app-hosted). */
export interface MediaConfig {
  /** Which media configuration: service-hosted or app-hosted. */
  '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' | '#microsoft.graph.appHostedMediaConfig' | (string & {});
  /** serviceHostedMediaConfig: media Graph fetches ahead, to play by `resourceId`. */
  preFetchMedia?: MediaInfo[];
  /** appHostedMediaConfig: the media session configuration of the bot's media stack. */
  blob?: string;
  /** Beta. */
  removeFromDefaultAudioGroup?: boolean;
}

/** incomingCallOptions (answer) or outgoingCallOptions (createCall). */
export interface CallOptions {
  /** Which options: incoming (answer) or outgoing (createCall). */
  '@odata.type'?: '#microsoft.graph.incomingCallOptions' | '#microsoft.graph.outgoingCallOptions' | (string & {});
  /** Whether the bot is hidden once the call is escalated to a group call. */
  hideBotAfterEscalation?: boolean;
  /** Whether Graph notifies the bot of content sharing in the call. */
  isContentSharingNotificationEnabled?: boolean;
  /** Whether roster notifications carry only the changes. */
  isDeltaRosterEnabled?: boolean;
}

/** A Teams meeting's chat: what a meeting link names. */
export interface ChatInfo {
  /** Graph's type annotation (`#microsoft.graph.chatInfo`); optional. */
  '@odata.type'?: string;
  /** The meeting's chat thread id. */
  threadId?: string;
  /** The message id in the thread. */
  messageId?: string;
  /** The id of the reply message, if any. */
  replyChainMessageId?: string | null;
}

/** The meeting to join: organizerMeetingInfo (with `chatInfo`), joinMeetingIdMeetingInfo or tokenMeetingInfo. */
export interface MeetingInfo {
  /** Which of the three kinds of meeting information this is. */
  '@odata.type': '#microsoft.graph.organizerMeetingInfo' | '#microsoft.graph.joinMeetingIdMeetingInfo' | '#microsoft.graph.tokenMeetingInfo' | (string & {});
  /** organizerMeetingInfo: the meeting's organizer. */
  organizer?: IdentitySetInput;
  /** organizerMeetingInfo: whether the conversation may go on without the host. */
  allowConversationWithoutHost?: boolean;
  /** joinMeetingIdMeetingInfo: the meeting id people type to join. */
  joinMeetingId?: string;
  /** joinMeetingIdMeetingInfo: the meeting's passcode, if it has one. */
  passcode?: string | null;
  /** tokenMeetingInfo: the join token. */
  token?: string;
}

/** One invitee (invitationParticipantInfo): of an invite, a redirect, a transfer, a new call. A type, so that it is also an `InvitationParticipantInfo`. */
export type InvitationParticipantInput = WithExtra & {
  /** Graph's type annotation (`#microsoft.graph.invitationParticipantInfo`); optional. */
  '@odata.type'?: string;
  /** Who to invite. */
  identity: IdentitySetInput;
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
};

/** A party (participantInfo): a transferee, a new call's source. A type, so that it is also a `ParticipantInfo`. */
export type ParticipantInfoInput = WithExtra & {
  /** Graph's type annotation (`#microsoft.graph.participantInfo`); optional. */
  '@odata.type'?: string;
  /** Who the party is. */
  identity: IdentitySetInput;
  /** The kind of endpoint (`default`, `voicemail`, `skypeForBusiness`...). */
  endpointType?: string | null;
  /** The party's participant id in the call, when it has one. */
  participantId?: string | null;
  /** The party's country code (ISO 3166-1 alpha-2). */
  countryCode?: string | null;
  /** The party's language, as a language tag (`en-US`). */
  languageId?: string | null;
  /** The party's home region (a country, a continent or larger). */
  region?: string | null;
};
