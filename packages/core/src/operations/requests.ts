import type { ChatInfo, CallOptions, InvitationParticipantInput, MediaConfig, MediaPrompt, MeetingInfo, Modality, ParticipantInfoInput, WithExtra } from './request-parts.js';

export type * from './request-parts.js';
export type { IdentityInput, IdentitySetInput } from '../model/identity.js';

/*
 * The request bodies of the call actions, as Microsoft's v1.0 pages list them. No type keeps
 * fields it does not name: a typo fails to compile, and is refused at run time before any
 * request. A field Graph adds later goes in `extra` (see {@link WithExtra}).
 */

/** A DTMF tone, as Graph names them. */
export type Tone = 'tone0' | 'tone1' | 'tone2' | 'tone3' | 'tone4' | 'tone5' | 'tone6' | 'tone7' | 'tone8' | 'tone9' | 'star' | 'pound' | 'a' | 'b' | 'c' | 'd' | 'flash';

/** The tones Graph knows. */
export const TONES: readonly Tone[] = ['tone0', 'tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9', 'star', 'pound', 'a', 'b', 'c', 'd', 'flash'];

/** Every operation takes a clientContext: unique, at most 256 characters; a UUID when missing. */
export interface WithClientContext extends WithExtra {
  /** Ties the operation's callbacks to this request; a UUID when left out. */
  clientContext?: string;
}

/** What `bot.invite()` and `call.invite()` send. */
export interface InviteRequest extends WithClientContext {
  /** One to five invitees; exactly one with `replacesCallId` or `participantId`. */
  participants: InvitationParticipantInput[];
}

/** `call.playPrompt()`: one to 20 prompts, played in order. */
export interface PlayPromptRequest extends WithClientContext {
  /** The prompts to play, in order. */
  prompts: MediaPrompt[];
}

/** `call.recordResponse()`: plays at most one prompt, then records what the caller says. */
export interface RecordResponseRequest extends WithClientContext {
  /** At most one prompt, played before recording. */
  prompts?: MediaPrompt[];
  /** Whether this request may cut into prompts and recordings already under way. */
  bargeInAllowed?: boolean;
  /** 1 to 120; Graph's default 5. */
  initialSilenceTimeoutInSeconds?: number;
  /** 1 to 120; Graph's default 5. */
  maxSilenceTimeoutInSeconds?: number;
  /** 1 to 120; Graph's default 5. */
  maxRecordDurationInSeconds?: number;
  /** Whether a beep tells the caller to start speaking. */
  playBeep?: boolean;
  /** Keys that end the recording, as Graph's page writes them: `#`, `1`, `*`. */
  stopTones?: string[];
}

/** `call.sendDtmfTones()`. */
export interface SendDtmfTonesRequest extends WithClientContext {
  /** The tones to send, in order. */
  tones: Tone[];
  /** The pause between two tones, in milliseconds. */
  delayBetweenTonesMs?: number;
}

/** `call.updateRecordingStatus()` (policy-based recording bots only). */
export interface UpdateRecordingStatusRequest extends WithClientContext {
  /** What the bot now does with the call's media. */
  status: 'notRecording' | 'recording' | 'failed';
}

/** `call.changeScreenSharingRole()`. */
export interface ChangeScreenSharingRoleRequest extends WithExtra {
  /** The bot's new role. */
  role: 'viewer' | 'sharer';
}

/** `participant.startHoldMusic()`: Graph's music unless a prompt is given. */
export interface StartHoldMusicRequest extends WithClientContext {
  /** Music of your own, instead of Graph's. */
  customPrompt?: MediaPrompt;
}

/** Where Graph posts this call's callbacks; the bot's `callbackUri` option when left out. */
export interface WithCallbackUri extends WithExtra {
  /** An absolute https URL (http on 127.0.0.1 for the emulator). */
  callbackUri?: string;
}

/** `call.answer()`: defaults `acceptedModalities: ['audio']` and service-hosted media. */
export interface AnswerRequest extends WithCallbackUri {
  /** The media the bot accepts; `['audio']` by default. */
  acceptedModalities?: Modality[];
  /** Who hosts the media; service-hosted by default. */
  mediaConfig?: MediaConfig;
  /** Graph's incoming call options. */
  callOptions?: CallOptions;
  /** How many participants the bot can handle (policy-based recording). */
  participantCapacity?: number;
}

/** `call.reject()`: `reason` defaults to `none`. */
export interface RejectRequest extends WithCallbackUri {
  /** Why the bot rejects the call. */
  reason?: 'none' | 'busy' | 'forbidden';
}

/** `call.redirect()`: 1 to 25 targets, which ring at once; `timeout` 15 to 90 s. */
export interface RedirectRequest extends WithCallbackUri {
  /** Where to send the call: 1 to 25 targets. */
  targets: InvitationParticipantInput[];
  /** How long the targets ring, in seconds (15 to 90). */
  timeout?: number;
  /** Whether the caller sees the bot instead of the callee. */
  maskCallee?: boolean;
  /** Whether the callee sees the bot instead of the caller. */
  maskCaller?: boolean;
}

/** `call.transfer()`: `transferee` is required from group calls; `transferTarget.replacesCallId` makes it consultative. */
export interface TransferRequest extends WithExtra {
  /** Who takes the call. */
  transferTarget: InvitationParticipantInput;
  /** The participant to transfer, out of a group call. */
  transferee?: ParticipantInfoInput;
}

/** `bot.createCall()`: peer to peer (one target), group (up to 5), PSTN (`source` an application instance, a `phone` target) or a meeting (`meetingInfo`, `chatInfo`). */
export interface CreateCallRequest extends WithCallbackUri {
  /** Graph's examples name the entity; optional. */
  '@odata.type'?: string;
  /** Who to call. */
  targets?: InvitationParticipantInput[];
  /** Who calls: the bot's application, or an application instance for PSTN. */
  source?: ParticipantInfoInput;
  /** The tenant the call belongs to. */
  tenantId?: string;
  /** The meeting to join: an organizerMeetingInfo, a joinMeetingIdMeetingInfo or a tokenMeetingInfo. */
  meetingInfo?: MeetingInfo;
  /** The meeting's chat thread (`threadId`, `messageId`, `replyChainMessageId`). */
  chatInfo?: ChatInfo;
  /** The call's subject. */
  subject?: string;
  /** Graph's outgoing call options. */
  callOptions?: CallOptions;
  /** The media the bot asks for. */
  requestedModalities?: Modality[];
  /** Who hosts the media; service-hosted by default. */
  mediaConfig?: MediaConfig;
  /** Copied from another call's `callChainId`, to tie this call to it. */
  callChainId?: string;
}

/** A Teams meeting to join: its link, or its meeting id (and passcode). */
export type MeetingToJoin = { joinUrl: string } | { joinMeetingId: string; passcode?: string };

/** `bot.joinMeeting()` options: what `createCall` takes besides the meeting. */
export interface JoinMeetingOptions extends WithCallbackUri {
  /** Who joins: the bot's application by default. */
  source?: CreateCallRequest['source'];
  /** Default: the link's `Tid`. */
  tenantId?: string;
  /** The call's subject. */
  subject?: string;
  /** Graph's outgoing call options. */
  callOptions?: CallOptions;
  /** The media the bot asks for. */
  requestedModalities?: Modality[];
  /** Who hosts the media; service-hosted by default. */
  mediaConfig?: MediaConfig;
}
