/**
 * Compile-only checks of the request types: a typo in a request fails to compile (each line
 * marked `@ts-expect-error` must not compile), `extra` takes what the types do not name, and
 * what Graph sends back stays open. The run-time twin is packages/core/test/inputs. Nothing here runs.
 */
import type {
  CallHandle,
  CallingBot,
  CallState,
  CallUpdatedEvent,
  CreateCallRequest,
  IdentitySet,
  IdentitySetInput,
  InvitationParticipantInfo,
  InvitationParticipantInput,
  Operation,
  OperationRecord,
  OperationState,
  Participant,
} from '@graph-comms/core';

declare const bot: CallingBot;
declare const call: CallHandle;
const user = { identity: { user: { id: 'u1' } } };
const prompt = { mediaInfo: { uri: 'https://cdn.contoso.com/a.wav' } };

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const exactly = <A, B>(proof: Equal<A, B>): void => void proof;

export async function typos(): Promise<void> {
  // Invitees, identities.
  // @ts-expect-error: replaceCallId is a typo of replacesCallId
  await bot.invite('c', { participants: [{ ...user, replaceCallId: 'p2p' }] });
  // @ts-expect-error: usr is not an identity kind
  await bot.invite('c', { participants: [{ identity: { usr: { id: 'u1' } } }] });
  // @ts-expect-error: an identity has an id, not an idd
  await bot.invite('c', { participants: [{ identity: { user: { idd: 'u1' } } }] });
  // @ts-expect-error: clientcontext is a typo of clientContext
  await call.invite({ participants: [user], clientcontext: 'ctx' });

  // Prompts.
  // @ts-expect-error: a mediaInfo has a uri, not a url
  await call.playPrompt({ prompts: [{ mediaInfo: { url: 'https://cdn.contoso.com/a.wav' } }] });
  // @ts-expect-error: loop is not a field of playPrompt
  await call.playPrompt({ prompts: [prompt], loop: 2 });
  // @ts-expect-error: the prompt is in customPrompt
  await call.participant('p').startHoldMusic({ prompt });
  // @ts-expect-error: maxRecordDurationInSecond is a typo
  await call.recordResponse({ maxRecordDurationInSecond: 10 });

  // The other operation bodies.
  // @ts-expect-error: delayBetweenTones is a typo of delayBetweenTonesMs
  await call.sendDtmfTones({ tones: ['tone1'], delayBetweenTones: 5 });
  // @ts-expect-error: clientContxt is a typo
  await call.subscribeToTone({ clientContxt: 'c' });
  // @ts-expect-error: cancelMediaProcessing takes no context
  await call.cancelMediaProcessing({ context: 'c' });
  // @ts-expect-error: mute takes a clientContext only
  await call.mute({ participantId: 'p' });
  // @ts-expect-error: unmute takes a clientContext only
  await call.unmute({ muted: false });
  // @ts-expect-error: the field is status
  await call.updateRecordingStatus({ status: 'recording', state: 'recording' });
  // @ts-expect-error: changeScreenSharingRole is no operation, it takes no clientContext
  await call.changeScreenSharingRole({ role: 'viewer', clientContext: 'c' });
  // @ts-expect-error: a participant's mute takes a clientContext only
  await call.participant('p').mute({ muted: true });
  // @ts-expect-error: clientContext2 is no field
  await call.participant('p').stopHoldMusic({ clientContext2: 'c' });

  // Answer, reject, redirect, transfer: targets.
  // @ts-expect-error: acceptedModality is a typo of acceptedModalities
  await call.answer({ acceptedModality: ['audio'] });
  // @ts-expect-error: a callOptions field misspelt
  await call.answer({ callOptions: { isDeltaRosterEnable: true } });
  // @ts-expect-error: a serviceHostedMediaConfig pre-fetches mediaInfos
  await call.answer({ mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig', preFetchMedia: [{ uri: 'https://a/b.wav', resourceid: 'r' }] } });
  // @ts-expect-error: reasons is a typo of reason
  await call.reject({ reasons: 'busy' });
  // @ts-expect-error: a target's replaceCallId is a typo
  await call.redirect({ targets: [{ ...user, replaceCallId: 'x' }] });
  // @ts-expect-error: timeOut is a typo of timeout
  await call.redirect({ targets: [user], timeOut: 30 });
  // @ts-expect-error: the transfer target's identity kind is misspelt
  await call.transfer({ transferTarget: { identity: { usr: { id: 'u2' } } } });
  // @ts-expect-error: transferree is a typo of transferee
  await call.transfer({ transferTarget: user, transferree: user });
}

export async function newCalls(): Promise<void> {
  // @ts-expect-error: subjct is a typo of subject
  await bot.createCall({ targets: [user], subjct: 'hello' });
  // @ts-expect-error: a target's identity is misspelt
  await bot.createCall({ targets: [{ identity: { user: { idd: 'u1' } } }] });
  // @ts-expect-error: languageID is a typo of languageId
  await bot.createCall({ targets: [user], source: { identity: { application: { id: 'a' } }, languageID: 'en-US' } });
  // @ts-expect-error: organiser is a typo of organizer
  await bot.createCall({ meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organiser: { user: { id: 'o' } } } });
  // @ts-expect-error: threadID is a typo of threadId
  await bot.createCall({ meetingInfo: { '@odata.type': '#microsoft.graph.tokenMeetingInfo', token: 't' }, chatInfo: { threadID: '19:x@thread.v2' } });
  // @ts-expect-error: a joinMeeting option misspelt
  await bot.joinMeeting({ joinUrl: 'https://teams.microsoft.com/l/meetup-join/...' }, { subjct: 'standup' });
  // @ts-expect-error: passCode is a typo of passcode
  await bot.joinMeeting({ joinMeetingId: '123 456', passCode: 'x' });

  // What the types do not name goes in extra, on the request and on invitees and participant infos.
  await bot.createCall({
    targets: [{ ...user, extra: { countryCode: 'US' } }],
    source: { identity: { application: { id: 'a' } }, extra: { platformId: '0' } },
    extra: { ringingTimeoutInSeconds: 30 },
  });
  await bot.invite('c', { participants: [{ ...user, extra: { languageId: 'en-US' } }], extra: { futureFlag: true } });
  await call.playPrompt({ prompts: [prompt], extra: { loop: 2 } });
  // @ts-expect-error: an identity takes no extra
  await bot.invite('c', { participants: [{ identity: { user: { id: 'u1', extra: { x: 1 } } } }] });
  // @ts-expect-error: extra is an object of fields
  await call.mute({ extra: 'x' });

  // A request built apart from the call (not an object literal) is checked all the same.
  const request: CreateCallRequest = { targets: [user], subject: 'hello' };
  await bot.createCall(request);
}

// What Graph sends stays open, and fits where an input is taken: a roster's identity can be invited.
declare const participant: Participant;
const extraField: unknown = participant['someFieldGraphAddsLater'];
void extraField;
declare const answered: IdentitySet;
const reinvited: InvitationParticipantInput = { identity: answered };
const asSent: InvitationParticipantInfo = reinvited;
const inputIsAnIdentitySet: IdentitySet = {} as IdentitySetInput;
void [asSent, inputIsAnIdentitySet];

// Call states and operation statuses are unions, not strings.
exactly<Operation['status'], OperationState>(true);
exactly<OperationRecord['status'], OperationState>(true);
exactly<CallUpdatedEvent['state'], CallState | undefined>(true);
declare const op: Operation;
// @ts-expect-error: Running is not how statuses are reported (lower camel case)
if (op.status === 'Running') void op;
