import { describe, it, expect } from '@jest/globals';
import { RequestValidationError, type CallingBot } from '@graph-comms/core';
import { botsWithFakeGraph } from '../../../../test/helpers/bots.js';

// Each request is what a typo makes of a valid one: the run-time twin of test/types/inputs.typecheck.ts.
const suite = botsWithFakeGraph({ callbackUri: 'https://bot.example.com/api/calls' });
const CALL = 'call-1';
const PID = 'participant-1';
const user = { identity: { user: { id: 'u1' } } };
const prompt = { mediaInfo: { uri: 'https://cdn.contoso.com/a.wav' } };
const organizer = { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { user: { id: 'o1', tenantId: 't1' } } };
const LINK = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0?context=%7b%22Tid%22%3a%22t1%22%2c%22Oid%22%3a%22o1%22%7d';
const any = (request: unknown) => request as never;

type Run = (bot: CallingBot, request: unknown) => Promise<unknown>;
const RUNS: Record<string, Run> = {
  answer: (b, r) => b.call(CALL).answer(any(r)),
  reject: (b, r) => b.call(CALL).reject(any(r)),
  redirect: (b, r) => b.call(CALL).redirect(any(r)),
  transfer: (b, r) => b.call(CALL).transfer(any(r)),
  createCall: (b, r) => b.createCall(any(r)),
  playPrompt: (b, r) => b.call(CALL).playPrompt(any(r)),
  recordResponse: (b, r) => b.call(CALL).recordResponse(any(r)),
  subscribeToTone: (b, r) => b.call(CALL).subscribeToTone(any(r)),
  sendDtmfTones: (b, r) => b.call(CALL).sendDtmfTones(any(r)),
  cancelMediaProcessing: (b, r) => b.call(CALL).cancelMediaProcessing(any(r)),
  mute: (b, r) => b.call(CALL).mute(any(r)),
  unmute: (b, r) => b.call(CALL).unmute(any(r)),
  updateRecordingStatus: (b, r) => b.call(CALL).updateRecordingStatus(any(r)),
  changeScreenSharingRole: (b, r) => b.call(CALL).changeScreenSharingRole(any(r)),
  muteParticipant: (b, r) => b.call(CALL).participant(PID).mute(any(r)),
  startHoldMusic: (b, r) => b.call(CALL).participant(PID).startHoldMusic(any(r)),
  stopHoldMusic: (b, r) => b.call(CALL).participant(PID).stopHoldMusic(any(r)),
};

// [action, request, path of the key at fault, the field the message suggests]
const TYPOS: Array<[string, unknown, string, string?]> = [
  ['answer', { acceptedModality: ['audio'] }, 'acceptedModality', 'acceptedModalities'],
  ['answer', { mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig', preFetchMedia: [{ uri: 'https://a/b.wav', resourceid: 'r' }] } }, 'mediaConfig.preFetchMedia[0].resourceid', 'resourceId'],
  ['answer', { callOptions: { isDeltaRosterEnable: true } }, 'callOptions.isDeltaRosterEnable', 'isDeltaRosterEnabled'],
  ['reject', { reasons: 'busy' }, 'reasons', 'reason'],
  ['redirect', { targets: [{ ...user, replaceCallId: 'x' }] }, 'targets[0].replaceCallId', 'replacesCallId'],
  ['redirect', { targets: [user], timeOut: 30 }, 'timeOut', 'timeout'],
  ['transfer', { transferTarget: { identity: { usr: { id: 'u2' } } } }, 'transferTarget.identity.usr', 'user'],
  ['transfer', { transferTarget: user, transferee: { identity: { user: { id: 'u3' } }, participantID: 'p' } }, 'transferee.participantID', 'participantId'],
  ['transfer', { transferTarget: user, transferree: { identity: { user: { id: 'u3' } } } }, 'transferree', 'transferee'],
  ['createCall', { targets: [user], subjct: 'hello' }, 'subjct', 'subject'],
  ['createCall', { targets: [{ identity: { user: { idd: 'u1' } } }] }, 'targets[0].identity.user.idd', 'id'],
  ['createCall', { targets: [user], source: { identity: { application: { id: 'a' } }, languageID: 'en-US' } }, 'source.languageID', 'languageId'],
  ['createCall', { meetingInfo: { ...organizer, organiser: {} } }, 'meetingInfo.organiser', 'organizer'],
  ['createCall', { meetingInfo: { ...organizer, organizer: { usr: { id: 'o1' } } } }, 'meetingInfo.organizer.usr', 'user'],
  ['createCall', { meetingInfo: organizer, chatInfo: { threadID: '19:x@thread.v2' } }, 'chatInfo.threadID', 'threadId'],
  ['createCall', { targets: [user], callOptions: { hideBot: true } }, 'callOptions.hideBot'],
  ['playPrompt', { prompts: [{ mediaInfo: { url: 'https://cdn.contoso.com/a.wav' } }] }, 'prompts[0].mediaInfo.url', 'uri'],
  ['playPrompt', { prompts: [prompt], loop: 2 }, 'loop'],
  ['recordResponse', { maxRecordDurationInSecond: 10 }, 'maxRecordDurationInSecond', 'maxRecordDurationInSeconds'],
  ['recordResponse', { prompts: [{ ...prompt, bargeIn: true }] }, 'prompts[0].bargeIn'],
  ['subscribeToTone', { clientcontext: 'c' }, 'clientcontext', 'clientContext'],
  ['sendDtmfTones', { tones: ['tone1'], delayBetweenTones: 5 }, 'delayBetweenTones', 'delayBetweenTonesMs'],
  ['cancelMediaProcessing', { context: 'c' }, 'context'],
  ['mute', { clientContxt: 'c' }, 'clientContxt', 'clientContext'],
  ['unmute', { participantId: 'p' }, 'participantId'],
  ['updateRecordingStatus', { status: 'recording', state: 'recording' }, 'state', 'status'],
  ['changeScreenSharingRole', { role: 'viewer', clientContext: 'c' }, 'clientContext'],
  ['muteParticipant', { muted: true }, 'muted'],
  ['startHoldMusic', { customPrompt: { ...prompt, '@odata.typ': '#microsoft.graph.mediaPrompt' } }, 'customPrompt["@odata.typ"]', '@odata.type'],
  ['stopHoldMusic', { clientContext: 'c', clientContext2: 'd' }, 'clientContext2', 'clientContext'],
];

async function refusal(run: () => Promise<unknown>): Promise<RequestValidationError> {
  const before = suite.graph.received.length;
  const error = await run().then(() => undefined, (e: unknown) => e);
  expect(suite.graph.received.length).toBe(before);
  expect(error).toBeInstanceOf(RequestValidationError);
  return error as RequestValidationError;
}

describe('a key that the request type does not name', () => {
  it('is tried on every action that takes a request', () => {
    expect(new Set(TYPOS.map(([action]) => action))).toEqual(new Set(Object.keys(RUNS)));
  });

  // Every row has four cells, so that jest does not take a missing suggestion for a `done` callback.
  it.each(TYPOS.map(([action, request, path, suggested]) => [action, request, path, suggested] as const))('%s(%j) is refused at %s, before any request', async (action, request, path, suggested) => {
    suite.graph.script = () => ({ status: 200, body: { id: 'op-1', status: 'running' } });
    const error = await refusal(() => RUNS[action]!(suite.newBot(), request));
    expect(error).toMatchObject({ code: 'request_invalid', rule: 'unknown_field', action, path });
    expect(error.message).toContain(`${action}: ${path}: not a field of`);
    if (suggested) expect(error.message).toContain(`(did you mean ${suggested}?)`);
    else expect(error.message).not.toContain('did you mean');
  });
});

describe('joinMeeting', () => {
  it.each([
    [{ joinUrl: LINK, context: '{}' }, 'context'],
    [{ joinMeetingId: '123 456', passCode: 'x' }, 'passCode'],
  ])('refuses a meeting %j with a key it does not take (%s)', async (meeting, path) => {
    const error = await refusal(() => suite.newBot().joinMeeting(any(meeting)));
    expect(error).toMatchObject({ rule: 'unknown_field', action: 'joinMeeting', path });
  });

  it('refuses an option it does not take; it is refused as the createCall it would send', async () => {
    const error = await refusal(() => suite.newBot().joinMeeting({ joinUrl: LINK }, any({ subjct: 'standup' })));
    expect(error).toMatchObject({ rule: 'unknown_field', action: 'createCall', path: 'subjct' });
  });
});
