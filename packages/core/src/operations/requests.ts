import type { IdentitySet, InvitationParticipantInfo, ParticipantInfo } from '../model/graph.js';

/*
 * The request bodies of the call actions, as Microsoft's v1.0 pages list them. Every type keeps
 * fields it does not name, so that a field Graph adds later can be sent without waiting for us.
 */

/** A media file to play: `mediaInfo.uri` (https, or a pre-fetched `resourceId`). */
export interface MediaPrompt {
  '@odata.type'?: '#microsoft.graph.mediaPrompt';
  mediaInfo: { '@odata.type'?: '#microsoft.graph.mediaInfo'; uri: string; resourceId?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** A DTMF tone, as Graph names them. */
export type Tone = 'tone0' | 'tone1' | 'tone2' | 'tone3' | 'tone4' | 'tone5' | 'tone6' | 'tone7' | 'tone8' | 'tone9' | 'star' | 'pound' | 'a' | 'b' | 'c' | 'd' | 'flash';

/** The tones Graph knows. */
export const TONES: readonly Tone[] = ['tone0', 'tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9', 'star', 'pound', 'a', 'b', 'c', 'd', 'flash'];

/** Every operation takes a clientContext: unique, at most 256 characters; a UUID when missing. */
export interface WithClientContext {
  clientContext?: string;
}

/** What `bot.invite()` and `call.invite()` send. */
export interface InviteRequest extends WithClientContext {
  /** One to five invitees; exactly one with `replacesCallId` or `participantId`. */
  participants: InvitationParticipantInfo[];
}

/** `call.playPrompt()`: one to 20 prompts, played in order. */
export interface PlayPromptRequest extends WithClientContext {
  prompts: MediaPrompt[];
}

/** `call.recordResponse()`: plays at most one prompt, then records what the caller says. */
export interface RecordResponseRequest extends WithClientContext {
  prompts?: MediaPrompt[];
  bargeInAllowed?: boolean;
  /** 1 to 120; Graph's default 5. */
  initialSilenceTimeoutInSeconds?: number;
  /** 1 to 120; Graph's default 5. */
  maxSilenceTimeoutInSeconds?: number;
  /** 1 to 120; Graph's default 5. */
  maxRecordDurationInSeconds?: number;
  playBeep?: boolean;
  /** Keys that end the recording, as Graph's page writes them: `#`, `1`, `*`. */
  stopTones?: string[];
}

/** `call.sendDtmfTones()`. */
export interface SendDtmfTonesRequest extends WithClientContext {
  tones: Tone[];
  delayBetweenTonesMs?: number;
}

/** `call.updateRecordingStatus()` (policy-based recording bots only). */
export interface UpdateRecordingStatusRequest extends WithClientContext {
  status: 'notRecording' | 'recording' | 'failed';
}

/** `call.changeScreenSharingRole()`. */
export interface ChangeScreenSharingRoleRequest {
  role: 'viewer' | 'sharer';
}

/** `participant.startHoldMusic()`: Graph's music unless a prompt is given. */
export interface StartHoldMusicRequest extends WithClientContext {
  customPrompt?: MediaPrompt;
}

/** The media a call carries. */
export type Modality = 'audio' | 'video' | 'videoBasedScreenSharing';

/** Who hosts the call's media: Graph (service-hosted, the default) or the bot (app-hosted). */
export interface MediaConfig {
  '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' | '#microsoft.graph.appHostedMediaConfig' | (string & {});
  [key: string]: unknown;
}

/** Where Graph posts this call's callbacks; the bot's `callbackUri` option when left out. */
export interface WithCallbackUri {
  callbackUri?: string;
}

/** `call.answer()`: defaults `acceptedModalities: ['audio']` and service-hosted media. */
export interface AnswerRequest extends WithCallbackUri {
  acceptedModalities?: Modality[];
  mediaConfig?: MediaConfig;
  callOptions?: Record<string, unknown>;
  participantCapacity?: number;
}

/** `call.reject()`: `reason` defaults to `none`. */
export interface RejectRequest extends WithCallbackUri {
  reason?: 'none' | 'busy' | 'forbidden';
}

/** `call.redirect()`: 1 to 25 targets, which ring at once; `timeout` 15 to 90 s. */
export interface RedirectRequest extends WithCallbackUri {
  targets: InvitationParticipantInfo[];
  timeout?: number;
}

/** `call.transfer()`: `transferee` is required from group calls; `transferTarget.replacesCallId` makes it consultative. */
export interface TransferRequest {
  transferTarget: InvitationParticipantInfo;
  transferee?: ParticipantInfo;
}

/** `bot.createCall()`: peer to peer (one target), group (up to 5), PSTN (`source` an application instance, a `phone` target) or a meeting (`meetingInfo`, `chatInfo`). */
export interface CreateCallRequest extends WithCallbackUri {
  targets?: InvitationParticipantInfo[];
  source?: { identity: IdentitySet; [key: string]: unknown };
  tenantId?: string;
  meetingInfo?: Record<string, unknown>;
  chatInfo?: { threadId?: string; messageId?: string; replyChainMessageId?: string; [key: string]: unknown };
  subject?: string;
  callOptions?: Record<string, unknown>;
  requestedModalities?: Modality[];
  mediaConfig?: MediaConfig;
  [key: string]: unknown;
}

/** A Teams meeting to join: its link, or its meeting id (and passcode). */
export type MeetingToJoin = { joinUrl: string } | { joinMeetingId: string; passcode?: string };

/** `bot.joinMeeting()` options: what `createCall` takes besides the meeting. */
export interface JoinMeetingOptions extends WithCallbackUri {
  source?: CreateCallRequest['source'];
  /** Default: the link's `Tid`. */
  tenantId?: string;
  subject?: string;
  callOptions?: Record<string, unknown>;
  requestedModalities?: Modality[];
  mediaConfig?: MediaConfig;
}
