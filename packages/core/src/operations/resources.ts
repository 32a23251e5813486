import type { CommsOperation, InvitationParticipantInfo } from '../model/graph.js';

/** The operations a bot can start, named after the handle method that starts them. */
export const OPERATION_KINDS = [
  'invite',
  'playPrompt',
  'recordResponse',
  'subscribeToTone',
  'sendDtmfTones',
  'cancelMediaProcessing',
  'mute',
  'unmute',
  'muteParticipant',
  'startHoldMusic',
  'stopHoldMusic',
  'updateRecordingStatus',
] as const;

/** One of {@link OPERATION_KINDS}. */
export type OperationKind = (typeof OPERATION_KINDS)[number];

/** What an event names an operation: its kind, or `'unknown'` for one this bot did not send and cannot name. */
export type OperationEventKind = OperationKind | 'unknown';

/** inviteParticipantsOperation. */
export interface InviteParticipantsOperation extends CommsOperation {
  /** The invitees, as Graph reports them. */
  participants?: InvitationParticipantInfo[] | null;
}

/** playPromptOperation. */
export interface PlayPromptOperation extends CommsOperation {
  /** `completedSuccessfully`, `mediaOperationCanceled`, `unknownFutureValue`... */
  completionReason?: string | null;
}

/** recordOperation: the outcome of `recordResponse`. */
export interface RecordOperation extends CommsOperation {
  /** Where the recording can be downloaded, with `recordingAccessToken` as bearer token. */
  recordingLocation?: string | null;
  /** Short-lived: download promptly (`bot.downloadRecording(outcome)`). */
  recordingAccessToken?: string | null;
  /** Why the recording stopped: `maxRecordDurationReached`, `stopToneDetected`... (beta, and some v1.0 deliveries). */
  completionReason?: string | null;
}

/** sendDtmfTonesOperation. */
export interface SendDtmfTonesOperation extends CommsOperation {
  /** Why sending stopped: `completedSuccessfully`, `mediaOperationCanceled`... */
  completionReason?: string | null;
}

/** subscribeToToneOperation. */
export type SubscribeToToneOperation = CommsOperation;
/** cancelMediaProcessingOperation. */
export type CancelMediaProcessingOperation = CommsOperation;
/** muteParticipantOperation (the answer to the bot's own mute and to a participant's). */
export type MuteParticipantOperation = CommsOperation;
/** unmuteParticipantOperation. */
export type UnmuteParticipantOperation = CommsOperation;
/** startHoldMusicOperation. */
export type StartHoldMusicOperation = CommsOperation;
/** stopHoldMusicOperation. */
export type StopHoldMusicOperation = CommsOperation;
/** updateRecordingStatusOperation. */
export type UpdateRecordingStatusOperation = CommsOperation;

/** The resource each kind of operation reports in its outcome. */
export interface OperationResources {
  /** An invite's outcome. */
  invite: InviteParticipantsOperation;
  /** A playPrompt's outcome. */
  playPrompt: PlayPromptOperation;
  /** A recording's outcome, with where to download it. */
  recordResponse: RecordOperation;
  /** A subscribeToTone's outcome. */
  subscribeToTone: SubscribeToToneOperation;
  /** A sendDtmfTones's outcome. */
  sendDtmfTones: SendDtmfTonesOperation;
  /** A cancelMediaProcessing's outcome. */
  cancelMediaProcessing: CancelMediaProcessingOperation;
  /** The bot's own mute's outcome. */
  mute: MuteParticipantOperation;
  /** The bot's own unmute's outcome. */
  unmute: UnmuteParticipantOperation;
  /** A participant's mute's outcome. */
  muteParticipant: MuteParticipantOperation;
  /** A startHoldMusic's outcome. */
  startHoldMusic: StartHoldMusicOperation;
  /** A stopHoldMusic's outcome. */
  stopHoldMusic: StopHoldMusicOperation;
  /** An updateRecordingStatus's outcome. */
  updateRecordingStatus: UpdateRecordingStatusOperation;
  /** An operation this bot did not send and cannot name. */
  unknown: CommsOperation;
}

// The kind a resource's `@odata.type` names, for operations this bot did not send. Graph answers
// mute with a muteParticipantOperation whoever is muted, so that type names muteParticipant.
const BY_TYPE: Record<string, OperationKind> = {
  '#microsoft.graph.inviteparticipantsoperation': 'invite',
  '#microsoft.graph.playpromptoperation': 'playPrompt',
  '#microsoft.graph.recordoperation': 'recordResponse',
  '#microsoft.graph.subscribetotoneoperation': 'subscribeToTone',
  '#microsoft.graph.senddtmftonesoperation': 'sendDtmfTones',
  '#microsoft.graph.cancelmediaprocessingoperation': 'cancelMediaProcessing',
  '#microsoft.graph.muteparticipantoperation': 'muteParticipant',
  '#microsoft.graph.unmuteparticipantoperation': 'unmute',
  '#microsoft.graph.startholdmusicoperation': 'startHoldMusic',
  '#microsoft.graph.stopholdmusicoperation': 'stopHoldMusic',
  '#microsoft.graph.updaterecordingstatusoperation': 'updateRecordingStatus',
};

/** The kind an operation resource's `@odata.type` names, or `'unknown'`. */
export function kindOfResource(operation: CommsOperation | undefined): OperationEventKind {
  const type = operation?.['@odata.type'];
  return (typeof type === 'string' && BY_TYPE[type.toLowerCase()]) || 'unknown';
}
