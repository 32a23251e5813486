import { describe, it, expect } from '@jest/globals';
import { CallingBot, GraphRequestError, MemoryCallStore, RequestValidationError, type CallingBot as Bot, type InvitationParticipantInfo, type RequestRule } from '@graph-comms/core';
import { botsWithFakeGraph } from '../../../test/helpers/bots.js';
import { recordEvents } from '../../../test/helpers/recorder.js';
import { settled } from './helpers/actions.js';
import { CALLBACK_URI, callNotification, established, sleep, terminated } from './helpers/calls.js';

const CALL = '57dab8b1-894c-409a-b240-bd8beae78896';
const NEW_CALL = '2e1a0b00-7c3d-4f8e-9a61-5c2f0e8d1b47';
const SERVICE_HOSTED = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };
const user = (n: number): InvitationParticipantInfo => ({ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id: `0000000${n}-1111-4222-8333-444444444444`, displayName: `User ${n}` } } });
const FORBIDDEN = { status: 403, body: { error: { code: 'Forbidden', message: 'Application is not allowed to transfer' } } };

const suite = botsWithFakeGraph({ callbackUri: CALLBACK_URI, keepAliveIntervalMs: false });
const newBot = suite.newBot;
const sent = () => suite.graph.received.map((r) => [r.method, r.path, r.body]);

/** Rejects with RequestValidationError of that rule, and nothing reached Graph. */
async function refused(attempt: Promise<unknown>, rule: RequestRule): Promise<void> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RequestValidationError);
  expect((error as RequestValidationError).rule).toBe(rule);
  expect((error as RequestValidationError).code).toBe('request_invalid');
  expect(suite.graph.received).toEqual([]);
}

describe('answer, reject, redirect', () => {
  it("answer() sends the defaults and the bot's callbackUri", async () => {
    const bot = newBot();
    suite.graph.script = () => ({ status: 202 });
    await expect(bot.call(CALL).answer()).resolves.toBeUndefined();
    expect(sent()).toEqual([['POST', `/v1.0/communications/calls/${CALL}/answer`, { callbackUri: CALLBACK_URI, acceptedModalities: ['audio'], mediaConfig: SERVICE_HOSTED }]]);
  });

  it('answer() sends what it is given, and a callbackUri of its own', async () => {
    const bot = newBot();
    suite.graph.script = () => ({ status: 202 });
    const appHosted = { '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: '<media config>' };
    await bot.call(CALL).answer({ callbackUri: 'https://other.contoso.com/calls', acceptedModalities: ['audio', 'video'], mediaConfig: appHosted, participantCapacity: 200, callOptions: { isContentSharingNotificationEnabled: true } });
    expect(sent()).toEqual([
      [
        'POST',
        `/v1.0/communications/calls/${CALL}/answer`,
        { callbackUri: 'https://other.contoso.com/calls', acceptedModalities: ['audio', 'video'], mediaConfig: appHosted, participantCapacity: 200, callOptions: { isContentSharingNotificationEnabled: true } },
      ],
    ]);
  });

  it("reject() sends reason none by default, with the bot's callbackUri", async () => {
    const bot = newBot();
    suite.graph.script = () => ({ status: 202 });
    await bot.call(CALL).reject();
    await bot.call(CALL).reject({ reason: 'forbidden', callbackUri: 'https://other.contoso.com/calls' });
    expect(sent()).toEqual([
      ['POST', `/v1.0/communications/calls/${CALL}/reject`, { reason: 'none', callbackUri: CALLBACK_URI }],
      ['POST', `/v1.0/communications/calls/${CALL}/reject`, { reason: 'forbidden', callbackUri: 'https://other.contoso.com/calls' }],
    ]);
  });

  it('reject() and redirect() need no callbackUri when the bot has none', async () => {
    const bot = newBot({ callbackUri: undefined });
    suite.graph.script = () => ({ status: 202 });
    await bot.call(CALL).reject({ reason: 'busy' });
    await bot.call(CALL).redirect({ targets: [user(1)] });
    expect(sent()).toEqual([
      ['POST', `/v1.0/communications/calls/${CALL}/reject`, { reason: 'busy' }],
      ['POST', `/v1.0/communications/calls/${CALL}/redirect`, { targets: [user(1)] }],
    ]);
  });

  it('redirect() sends its targets and timeout', async () => {
    const bot = newBot();
    suite.graph.script = () => ({ status: 202 });
    await bot.call(CALL).redirect({ targets: [user(1), user(2)], timeout: 60 });
    expect(sent()).toEqual([['POST', `/v1.0/communications/calls/${CALL}/redirect`, { targets: [user(1), user(2)], timeout: 60, callbackUri: CALLBACK_URI }]]);
  });

  it('answer() without a callbackUri anywhere is refused before any request', async () => {
    const bot = newBot({ callbackUri: undefined });
    await refused(bot.call(CALL).answer({ acceptedModalities: ['audio'] }), 'callbackUri.missing');
    await refused(bot.call(CALL).answer(), 'callbackUri.missing');
  });

  const targets = (n: number) => Array.from({ length: n }, (_, i) => user(i));
  it.each<[string, (bot: Bot) => Promise<unknown>, RequestRule]>([
    ['answer with a relative callbackUri', (b) => b.call(CALL).answer({ callbackUri: '/api/calls' }), 'callbackUri.invalid'],
    ['answer with an unknown modality', (b) => b.call(CALL).answer({ acceptedModalities: ['audio', 'smell' as never] }), 'acceptedModalities.invalid'],
    ['answer with no modalities', (b) => b.call(CALL).answer({ acceptedModalities: [] }), 'acceptedModalities.missing'],
    ['reject with an unknown reason', (b) => b.call(CALL).reject({ reason: 'maybe' as never }), 'reason.invalid'],
    ['reject with a relative callbackUri', (b) => b.call(CALL).reject({ callbackUri: 'calls' }), 'callbackUri.invalid'],
    ['redirect without targets', (b) => b.call(CALL).redirect({} as never), 'targets.missing'],
    ['redirect with no targets', (b) => b.call(CALL).redirect({ targets: [] }), 'targets.missing'],
    ['redirect with 26 targets', (b) => b.call(CALL).redirect({ targets: targets(26) }), 'targets.tooMany'],
    ['redirect with timeout 14', (b) => b.call(CALL).redirect({ targets: [user(1)], timeout: 14 }), 'timeout.outOfRange'],
    ['redirect with timeout 91', (b) => b.call(CALL).redirect({ targets: [user(1)], timeout: 91 }), 'timeout.outOfRange'],
    ['redirect to a target without identity', (b) => b.call(CALL).redirect({ targets: [user(1), { '@odata.type': '#microsoft.graph.invitationParticipantInfo' } as never] }), 'targets.invalid'],
  ])('%s is refused before any request', async (_, attempt, rule) => {
    await refused(attempt(newBot()), rule);
  });

  it('redirect with 25 targets, timeout 15 or 90, is sent', async () => {
    const bot = newBot();
    suite.graph.script = () => ({ status: 202 });
    await bot.call(CALL).redirect({ targets: targets(25), timeout: 15 });
    await bot.call(CALL).redirect({ targets: [user(1)], timeout: 90 });
    expect(suite.graph.received).toHaveLength(2);
  });

  it.each([['not a url'], ['/api/calls'], ['ftp://bot.contoso.com/calls'], ['']])('new CallingBot({ logger: false, callbackUri: %j }) throws TypeError', (callbackUri) => {
    expect(() => new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, callbackUri })).toThrow(TypeError);
  });

  it('a Graph error rejects with GraphRequestError', async () => {
    const bot = newBot();
    suite.graph.script = () => ({ status: 404, body: { error: { code: 'CallNotFound', message: 'gone' } } });
    const error = await bot.call(CALL).answer({ acceptedModalities: ['audio'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ status: 404, graphCode: 'CallNotFound' });
  });
});

describe('bot.createCall', () => {
  const created = (id = NEW_CALL) => ({
    status: 201,
    headers: { location: `https://graph.microsoft.com/v1.0/communications/calls/${id}` },
    body: { '@odata.type': '#microsoft.graph.call', id, state: 'establishing', direction: 'outgoing', callChainId: 'd09a8a3b-0000-4000-8000-000000000000', myParticipantId: 'p-bot' },
  });

  it('POSTs /communications/calls with the defaults and resolves a handle on the call Graph named', async () => {
    const bot = newBot();
    suite.graph.script = () => created();
    const call = await bot.createCall({ targets: [user(1)], tenantId: 't-1', subject: 'Hello' });
    expect(call.id).toBe(NEW_CALL);
    expect(sent()).toEqual([
      ['POST', '/v1.0/communications/calls', { targets: [user(1)], tenantId: 't-1', subject: 'Hello', requestedModalities: ['audio'], mediaConfig: SERVICE_HOSTED, callbackUri: CALLBACK_URI }],
    ]);
    suite.graph.script = () => ({ status: 204 });
    await call.hangUp();
    expect(suite.graph.received[1]).toMatchObject({ method: 'DELETE', path: `/v1.0/communications/calls/${NEW_CALL}` });
  });

  it('reads the id from Location when the body has none', async () => {
    const bot = newBot();
    suite.graph.script = () => ({ status: 201, headers: { location: `https://graph.microsoft.com/v1.0/communications/calls/${NEW_CALL}` } });
    const call = await bot.createCall({ targets: [user(1)], requestedModalities: ['audio'] });
    expect(call.id).toBe(NEW_CALL);
  });

  it('places a PSTN call from an application instance to an E.164 number', async () => {
    const bot = newBot();
    suite.graph.script = () => created();
    const request = {
      source: { identity: { applicationInstance: { id: 'a1b2c3d4-0000-4000-8000-000000000000', displayName: 'Calling Bot' } } },
      targets: [{ identity: { phone: { id: '+12345678901' } } }],
      requestedModalities: ['audio' as const],
      tenantId: 't-1',
    };
    await bot.createCall(request);
    expect(suite.graph.received[0]!.body).toEqual({ ...request, mediaConfig: SERVICE_HOSTED, callbackUri: CALLBACK_URI });
  });

  it.each<[string, Record<string, unknown>, RequestRule]>([
    ['no targets and no meetingInfo', { requestedModalities: ['audio'] }, 'targets.missing'],
    ['an empty target list', { targets: [], requestedModalities: ['audio'] }, 'targets.missing'],
    ['6 targets', { targets: [1, 2, 3, 4, 5, 6].map(user), requestedModalities: ['audio'] }, 'targets.tooMany'],
    [
      'a phone target not in E.164',
      { targets: [{ identity: { phone: { id: '0123 456 789' } } }], source: { identity: { applicationInstance: { id: 'ai-1' } } }, requestedModalities: ['audio'] },
      'targets.invalid',
    ],
    ['a phone target without source.identity.applicationInstance', { targets: [{ identity: { phone: { id: '+12345678901' } } }], requestedModalities: ['audio'] }, 'source.missing'],
    ['a relative callbackUri', { targets: [user(1)], callbackUri: 'calls', requestedModalities: ['audio'] }, 'callbackUri.invalid'],
  ])('refuses %s before any request', async (_, request, rule) => {
    await refused(newBot().createCall(request), rule);
  });

  it('refuses a call without a callbackUri anywhere', async () => {
    await refused(newBot({ callbackUri: undefined }).createCall({ targets: [user(1)], requestedModalities: ['audio'] }), 'callbackUri.missing');
  });

  it('keeps a callback of the new call that arrives before the 201', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    suite.graph.script = async () => {
      await bot.processNotifications(established(NEW_CALL, { myParticipantId: 'p-bot' }));
      return created();
    };
    const call = await bot.createCall({ targets: [user(1)], requestedModalities: ['audio'] }); // the defaults are tested above
    expect(call.id).toBe(NEW_CALL);
    const record = await bot.getCall(NEW_CALL);
    expect(record).toMatchObject({ state: 'established', call: { state: 'established', myParticipantId: 'p-bot' } });
    await bot.processNotifications(established(NEW_CALL, { myParticipantId: 'p-bot' }));
    expect(rec.of('callEstablished')).toEqual([{ eventId: expect.any(String), callId: NEW_CALL, call: expect.objectContaining({ state: 'established' }) }]);
  });

  it('rejects with GraphRequestError when Graph refuses', async () => {
    const bot = newBot();
    suite.graph.script = () => FORBIDDEN;
    await expect(bot.createCall({ targets: [user(1)], requestedModalities: ['audio'] })).rejects.toMatchObject({ name: 'GraphRequestError', status: 403 });
  });
});

describe('bot.joinMeeting', () => {
  const TID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const OID = '550fae72-d251-43ec-868c-373732c2704f';
  const THREAD = '19:meeting_NjQ0NzE2ZmUtYTQ4Zi00ZjM0LWJlZTYtM2ZlNjlmYzU3YzBh@thread.v2';
  const ENCODED =
    'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ0NzE2ZmUtYTQ4Zi00ZjM0LWJlZTYtM2ZlNjlmYzU3YzBh%40thread.v2/0' +
    `?context=%7b%22Tid%22%3a%22${TID}%22%2c%22Oid%22%3a%22${OID}%22%7d`;
  const PLAIN = `https://teams.microsoft.com/l/meetup-join/${THREAD}/0?context={"Tid":"${TID}","Oid":"${OID}"}`;
  const joined = { status: 201, body: { '@odata.type': '#microsoft.graph.call', id: NEW_CALL, state: 'establishing' } };
  const expected = {
    chatInfo: { threadId: THREAD, messageId: '0' },
    meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { user: { id: OID, tenantId: TID } } },
    tenantId: TID,
    requestedModalities: ['audio'],
    mediaConfig: SERVICE_HOSTED,
    callbackUri: CALLBACK_URI,
  };

  it.each([
    ['URL-encoded', ENCODED],
    ['not encoded', PLAIN],
    ['encoded with an upper-case escape and spaces around', `  ${ENCODED.replace('%3a', '%3A')}  `],
  ])('joins from a Teams link %s', async (_, joinUrl) => {
    const bot = newBot();
    suite.graph.script = () => joined;
    const call = await bot.joinMeeting({ joinUrl });
    expect(call.id).toBe(NEW_CALL);
    expect(sent()).toEqual([['POST', '/v1.0/communications/calls', expected]]);
  });

  it('takes options beside the link', async () => {
    const bot = newBot();
    suite.graph.script = () => joined;
    await bot.joinMeeting({ joinUrl: ENCODED }, { tenantId: 'other-tenant', subject: 'Stand-up', requestedModalities: ['audio', 'video'] });
    expect(suite.graph.received[0]!.body).toEqual({ ...expected, tenantId: 'other-tenant', subject: 'Stand-up', requestedModalities: ['audio', 'video'] });
  });

  it('joins by meeting id and passcode', async () => {
    const bot = newBot();
    suite.graph.script = () => joined;
    await bot.joinMeeting({ joinMeetingId: '1234567890', passcode: 'a1b2c3' });
    expect(sent()).toEqual([
      [
        'POST',
        '/v1.0/communications/calls',
        { meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '1234567890', passcode: 'a1b2c3' }, requestedModalities: ['audio'], mediaConfig: SERVICE_HOSTED, callbackUri: CALLBACK_URI },
      ],
    ]);
  });

  it.each([
    ['a non-Teams host', ENCODED.replace('teams.microsoft.com', 'teams.example.com')],
    ['a look-alike host', ENCODED.replace('teams.microsoft.com', 'teams.microsoft.com.evil.example')],
    ['http:', ENCODED.replace('https:', 'http:')],
    ['a link without context', ENCODED.slice(0, ENCODED.indexOf('?'))],
    ['a context without Tid', `https://teams.microsoft.com/l/meetup-join/${THREAD}/0?context={"Oid":"${OID}"}`],
    ['a context without Oid', `https://teams.microsoft.com/l/meetup-join/${THREAD}/0?context={"Tid":"${TID}"}`],
    ['a context that is not JSON', `https://teams.microsoft.com/l/meetup-join/${THREAD}/0?context=Tid%3d${TID}`],
    ['a meetup-join path without thread', `https://teams.microsoft.com/l/meetup-join/?context={"Tid":"${TID}","Oid":"${OID}"}`],
    ['a meetup-join path whose thread is no thread', `https://teams.microsoft.com/l/meetup-join/0?context={"Tid":"${TID}","Oid":"${OID}"}`],
    ['another Teams path', `https://teams.microsoft.com/l/chat/${THREAD}/0?context={"Tid":"${TID}","Oid":"${OID}"}`],
    ['garbage', 'not a link at all'],
    ['an empty string', ''],
  ])('refuses %s with joinUrl.invalid and no request', async (_, joinUrl) => {
    await refused(newBot().joinMeeting({ joinUrl }), 'joinUrl.invalid');
  });
});

describe('transfer', () => {
  const target = { transferTarget: { '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f' } } } };
  const TRANSFERRED = { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' };
  const FELL_BACK = { code: 500, subcode: 7700, message: 'Transfer failed' };

  async function establishedCall(bot: Bot): Promise<void> {
    await bot.processNotifications(established(CALL));
    suite.graph.script = () => ({ status: 202 });
  }

  it('POSTs .../transfer and completes when the call goes transferring → transferAccepted → terminated (0/7015)', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await establishedCall(bot);
    const transfer = await bot.call(CALL).transfer(target);
    expect(transfer.callId).toBe(CALL);
    expect(sent()).toEqual([['POST', `/v1.0/communications/calls/${CALL}/transfer`, target]]);
    await bot.processNotifications(callNotification(CALL, 'updated', 'transferring'));
    await bot.processNotifications(callNotification(CALL, 'updated', 'transferAccepted'));
    expect(await settled(transfer.completion)).toBe(false);
    await bot.processNotifications(terminated(CALL, TRANSFERRED));
    await expect(transfer.completion).resolves.toEqual({ status: 'completed', resultInfo: TRANSFERRED });
    expect(rec.of('callTerminated')).toEqual([{ eventId: expect.any(String), callId: CALL, resultInfo: TRANSFERRED, reason: 'transferred' }]);
  });

  it('completes when the call is deleted after transferring', async () => {
    const bot = newBot();
    await establishedCall(bot);
    const transfer = await bot.call(CALL).transfer(target);
    await bot.processNotifications(callNotification(CALL, 'updated', 'transferring'));
    await bot.processNotifications(callNotification(CALL, 'deleted', undefined, { resultInfo: TRANSFERRED }));
    await expect(transfer.completion).resolves.toMatchObject({ status: 'completed' });
  });

  it('fails with the resultInfo when the call falls back to established', async () => {
    const bot = newBot();
    await establishedCall(bot);
    const transfer = await bot.call(CALL).transfer(target);
    await bot.processNotifications(callNotification(CALL, 'updated', 'transferring'));
    await bot.processNotifications(established(CALL, { resultInfo: FELL_BACK }));
    await expect(transfer.completion).resolves.toEqual({ status: 'failed', resultInfo: FELL_BACK });
    // The call goes on, and a new transfer may be requested.
    expect((await bot.getCall(CALL))!.state).toBe('established');
    await expect(bot.call(CALL).transfer(target)).resolves.toMatchObject({ callId: CALL });
  });

  it('times out after operationTimeoutMs with no news', async () => {
    const bot = newBot({ operationTimeoutMs: 80 });
    await establishedCall(bot);
    const transfer = await bot.call(CALL).transfer(target);
    await expect(transfer.completion).resolves.toEqual({ status: 'timedOut' });
    await expect(bot.call(CALL).transfer(target)).resolves.toMatchObject({ callId: CALL });
  });

  it('refuses a second transfer while one is pending, before any request', async () => {
    const bot = newBot();
    await establishedCall(bot);
    await bot.call(CALL).transfer(target);
    await bot.processNotifications(callNotification(CALL, 'updated', 'transferring'));
    const error = await bot.call(CALL).transfer(target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).rule).toBe('transfer.pending');
    expect(suite.graph.received).toHaveLength(1);
  });

  it('refuses a transfer without a target, before any request', async () => {
    const bot = newBot();
    await refused(bot.call(CALL).transfer({} as never), 'transferTarget.missing');
    await refused(bot.call(CALL).transfer({ transferTarget: {} as never }), 'transferTarget.invalid');
  });

  it('rejects GraphRequestError on a 403, and a new transfer can be requested at once', async () => {
    const bot = newBot();
    await establishedCall(bot);
    suite.graph.script = () => FORBIDDEN;
    const error = await bot.call(CALL).transfer(target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect((error as GraphRequestError).status).toBe(403);
    expect((await bot.getCall(CALL))!.transfer).toBeUndefined();
    suite.graph.script = () => ({ status: 202 });
    const transfer = await bot.call(CALL).transfer(target);
    await bot.processNotifications(callNotification(CALL, 'updated', 'transferring'));
    await bot.processNotifications(terminated(CALL, TRANSFERRED));
    await expect(transfer.completion).resolves.toMatchObject({ status: 'completed' });
  });

  it('resolves in the bot that requested it when the notifications land on another bot of the same store', async () => {
    const store = new MemoryCallStore();
    const requester = newBot({ store });
    const other = newBot({ store });
    await establishedCall(other);
    const transfer = await requester.call(CALL).transfer(target);
    await other.processNotifications(callNotification(CALL, 'updated', 'transferring'));
    await other.processNotifications(callNotification(CALL, 'updated', 'transferAccepted'));
    await other.processNotifications(terminated(CALL, TRANSFERRED));
    await expect(transfer.completion).resolves.toEqual({ status: 'completed', resultInfo: TRANSFERRED });
  });

  it('fails in the requester when the other bot hears the call fall back', async () => {
    const store = new MemoryCallStore();
    const requester = newBot({ store, operationTimeoutMs: 5000 });
    const other = newBot({ store });
    await establishedCall(other);
    const transfer = await requester.call(CALL).transfer(target);
    await other.processNotifications(callNotification(CALL, 'updated', 'transferring'));
    await other.processNotifications(established(CALL, { resultInfo: FELL_BACK }));
    await expect(transfer.completion).resolves.toEqual({ status: 'failed', resultInfo: FELL_BACK });
    await sleep(10);
  });
});
