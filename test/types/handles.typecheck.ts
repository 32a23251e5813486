/**
 * Compile-only checks of the handle methods' types: `npm run typecheck` fails if a line marked
 * `@ts-expect-error` compiles, or if a correct line does not. Nothing here runs.
 */
import type {
  CallHandle,
  CallingBot,
  CancelMediaProcessingOperation,
  Invitation,
  MediaPrompt,
  MuteParticipantOperation,
  Operation,
  OperationOutcome,
  ParticipantHandle,
  PlayPromptOperation,
  RecordOperation,
  SendDtmfTonesOperation,
  StartHoldMusicOperation,
  UpdateRecordingStatusOperation,
} from '@graph-comms/core';

declare const bot: CallingBot;
declare const prompts: MediaPrompt[];

/** Exactly T: neither wider nor narrower. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const exactly = <A, B>(proof: Equal<A, B>): void => void proof;

export async function handles(): Promise<void> {
  const call: CallHandle = bot.call('call-id');
  const participant: ParticipantHandle = call.participant('participant-id');

  // Each method resolves the Operation of its kind, whose completion resolves that kind's resource.
  const played = await call.playPrompt({ prompts });
  exactly<typeof played, Operation<'playPrompt'>>(true);
  exactly<Awaited<typeof played.completion>, OperationOutcome<PlayPromptOperation>>(true);
  const recorded: Operation<'recordResponse'> = await call.recordResponse();
  const outcome: OperationOutcome<RecordOperation> = await recorded.completion;
  const location: string | null | undefined = outcome.operation?.recordingLocation;
  void location;
  await call.recordResponse({ prompts, bargeInAllowed: true, playBeep: false, initialSilenceTimeoutInSeconds: 5, maxSilenceTimeoutInSeconds: 2, maxRecordDurationInSeconds: 10, stopTones: ['#', '1', '*'] });
  exactly<Awaited<ReturnType<CallHandle['subscribeToTone']>>, Operation<'subscribeToTone'>>(true);
  const dtmf = await call.sendDtmfTones({ tones: ['tone1', 'star', 'pound', 'a', 'flash'], delayBetweenTonesMs: 500 });
  exactly<Awaited<typeof dtmf.completion>['operation'], SendDtmfTonesOperation | undefined>(true);
  void dtmf;
  const canceled: OperationOutcome<CancelMediaProcessingOperation> = await (await call.cancelMediaProcessing()).completion;
  void canceled;
  const muted: Operation<'mute'> = await call.mute();
  const unmuted: Operation<'unmute'> = await call.unmute({ clientContext: 'ctx' });
  void muted;
  void unmuted;
  const status: Operation<'updateRecordingStatus'> = await call.updateRecordingStatus({ status: 'recording' });
  const statusOutcome: OperationOutcome<UpdateRecordingStatusOperation> = await status.completion;
  void statusOutcome;
  exactly<ReturnType<CallHandle['changeScreenSharingRole']>, Promise<void>>(true);
  exactly<ReturnType<CallHandle['keepAlive']>, Promise<void>>(true);
  exactly<ReturnType<CallHandle['hangUp']>, Promise<void>>(true);
  const invitation: Invitation = await call.invite({ participants: [{ identity: { user: { id: 'u' } } }] });
  void invitation;

  const participantMuted: Operation<'muteParticipant'> = await participant.mute();
  const participantOutcome: OperationOutcome<MuteParticipantOperation> = await participantMuted.completion;
  void participantOutcome;
  exactly<ReturnType<ParticipantHandle['remove']>, Promise<void>>(true);
  const held: Operation<'startHoldMusic'> = await participant.startHoldMusic({ customPrompt: prompts[0]! });
  const heldOutcome: OperationOutcome<StartHoldMusicOperation> = await held.completion;
  void heldOutcome;
  const resumed: Operation<'stopHoldMusic'> = await participant.stopHoldMusic();
  void resumed;

  // @ts-expect-error: playPrompt needs its prompts
  await call.playPrompt();
  // @ts-expect-error: prompts is required
  await call.playPrompt({});
  // @ts-expect-error: a prompt is a mediaPrompt, not a URL
  await call.playPrompt({ prompts: ['https://cdn.contoso.com/a.wav'] });
  // @ts-expect-error: no tone11
  await call.sendDtmfTones({ tones: ['tone11'] });
  // @ts-expect-error: sendDtmfTones needs its tones
  await call.sendDtmfTones();
  // @ts-expect-error: delayBetweenTonesMs is a number
  await call.sendDtmfTones({ tones: ['tone1'], delayBetweenTonesMs: '100' });
  // @ts-expect-error: paused is not a recording status
  await call.updateRecordingStatus({ status: 'paused' });
  // @ts-expect-error: the status is required
  await call.updateRecordingStatus({});
  // @ts-expect-error: presenter is not a screen-sharing role
  await call.changeScreenSharingRole({ role: 'presenter' });
  // @ts-expect-error: bargeInAllowed is a boolean
  await call.recordResponse({ bargeInAllowed: 'yes' });
  // @ts-expect-error: stopTones are strings
  await call.recordResponse({ stopTones: [1] });
  // @ts-expect-error: clientContext is a string
  await call.mute({ clientContext: 7 });
  // @ts-expect-error: keepAlive takes no request
  await call.keepAlive({});
  // @ts-expect-error: customPrompt is one mediaPrompt
  await participant.startHoldMusic({ customPrompt: prompts });
  // @ts-expect-error: a participant is not unmuted through its handle (v1.0 has no such action)
  await participant.unmute();
  // @ts-expect-error: a Promise<void> has no operation
  void (await call.hangUp()).completion;

  // @ts-expect-error: status is read-only to the user
  played.status = 'completed';
  // @ts-expect-error: id is read-only to the user
  played.id = 'other';
  // @ts-expect-error: the kind is fixed
  const wrongKind: Operation<'playPrompt'> = recorded;
  void wrongKind;
}

// `kind` narrows `operation`, `sent` and `invitation`.
bot.on('operationCompleted', (e) => {
  if (e.kind === 'recordResponse') {
    const where: string | null | undefined = e.operation?.recordingLocation;
    const token: string | null | undefined = e.operation?.recordingAccessToken;
    const sent: Operation<'recordResponse'> | undefined = e.sent;
    void [where, token, sent];
  }
  if (e.kind === 'playPrompt') {
    const reason: string | null | undefined = e.operation?.completionReason;
    // @ts-expect-error: a playPromptOperation has no typed recordingLocation
    const where: string | null | undefined = e.operation?.recordingLocation;
    // @ts-expect-error: what a playPrompt event carries is not a recordResponse Operation
    const sent: Operation<'recordResponse'> | undefined = e.sent;
    // Only an invite's event has an Invitation.
    exactly<typeof e.invitation, undefined>(true);
    // @ts-expect-error: not an Invitation for a playPrompt
    exactly<typeof e.invitation, Invitation | undefined>(true);
    void [reason, where, sent];
  }
  if (e.kind === 'invite') {
    exactly<typeof e.invitation, Invitation | undefined>(true);
    const sent: Operation<'invite'> | undefined = e.sent;
    const invitees = e.invitation?.participants;
    void [sent, invitees];
  }
  if (e.kind === 'unknown') {
    exactly<typeof e.sent, undefined>(true);
  }
});

bot.on('operationFailed', (e) => {
  if (e.kind === 'sendDtmfTones') {
    const reason: string | null | undefined = e.operation?.completionReason;
    void reason;
  }
  // @ts-expect-error: reason is failed or timedOut
  if (e.reason === 'cancelled') void e;
  // @ts-expect-error: before narrowing, the invitation is not known to be there
  const invitation: Invitation = e.invitation;
  void invitation;
});
