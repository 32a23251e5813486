import type { InvitationParticipantInfo } from '../model/graph.js';

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
