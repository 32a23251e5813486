/** Incoming calls: the created notification, answer / reject / redirect, and the answer deadline. */
import { describe, it, expect } from '@jest/globals';
import type { JsonObject } from '../src/index.js';
import { callStates, lastCallData, request, until, useEmulator, user } from './helpers.js';
import { PROMPT, act } from './action-helpers.js';

const SERVICE_HOSTED = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };

describe('incoming calls', () => {
  const env = useEmulator({ answerTimeoutMs: 250 });

  const answerBody = (extra: JsonObject = {}): JsonObject => ({ callbackUri: env.bot.url('/answered'), acceptedModalities: ['audio'], mediaConfig: SERVICE_HOSTED, ...extra });

  it('placeIncomingCall: created on /communications/calls/{id} with the call in incoming, as the answer page shows', async () => {
    const call = env.emulator.placeIncomingCall({ callbackUri: env.bot.url(), from: user('caller-1') });
    expect(call).toMatchObject({ state: 'incoming', kind: 'peerToPeer' });
    await env.emulator.idle();
    const [created] = env.bot.about(call.id);
    expect(created).toMatchObject({
      changeType: 'created',
      resource: `/app/calls/${call.id}`,
      resourceUrl: `/communications/calls/${call.id}`,
      resourceData: {
        '@odata.type': '#microsoft.graph.call',
        id: call.id,
        state: 'incoming',
        direction: 'incoming',
        source: { '@odata.type': '#microsoft.graph.participantInfo', identity: { user: { id: 'caller-1', tenantId: env.emulator.tenantId } } },
        targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { application: { id: env.emulator.appId } } }],
        requestedModalities: ['audio'],
        tenantId: env.emulator.tenantId,
        callChainId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        myParticipantId: call.resource.myParticipantId,
      },
    });
    expect((await request(env.emulator, 'GET', `v1.0/communications/calls/${call.id}`)).body).toMatchObject({ state: 'incoming', direction: 'incoming' });
    expect((await act(env.emulator, call.id, 'reject', {})).status).toBe(202);
  });

  it('defaults and options: a user caller, the bot app as target; group and meeting invites carry chatInfo (and meetingInfo)', async () => {
    const plain = env.emulator.placeIncomingCall({ callbackUri: env.bot.url(), id: 'incoming-fixed-id', tenantId: 'tenant-x', requestedModalities: ['audio', 'video'] });
    expect(plain.id).toBe('incoming-fixed-id');
    expect(plain.resource).toMatchObject({ tenantId: 'tenant-x', requestedModalities: ['audio', 'video'], source: { identity: { user: { id: expect.any(String) } } } });
    const group = env.emulator.placeIncomingCall({ callbackUri: env.bot.url(), kind: 'group' });
    expect(group.resource.chatInfo).toMatchObject({ threadId: expect.stringMatching(/^19:meeting_.+@thread\.v2$/), messageId: '0' });
    expect(group.resource.meetingInfo).toBeUndefined();
    const meeting = env.emulator.placeIncomingCall({ callbackUri: env.bot.url(), kind: 'meeting', to: { applicationInstance: { id: 'instance-1' } } });
    expect(meeting.resource).toMatchObject({ meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo' }, targets: [{ identity: { applicationInstance: { id: 'instance-1' } } }] });
    expect(() => env.emulator.placeIncomingCall({ callbackUri: 'not a url' })).toThrow(TypeError);
    for (const call of [plain, group, meeting]) await act(env.emulator, call.id, 'reject', {});
    await env.emulator.idle();
  });

  it('answer: 202 with no body, then establishing, established and the roster at the answer\'s callbackUri', async () => {
    const call = env.emulator.placeIncomingCall({ callbackUri: env.bot.url(), from: user('caller-2') });
    const answer = await act(env.emulator, call.id, 'answer', answerBody());
    expect(answer).toMatchObject({ status: 202, location: null, body: {} });
    await env.emulator.idle();
    expect(callStates(env.bot, call.id)).toEqual([
      ['created', 'incoming'],
      ['updated', 'establishing'],
      ['updated', 'established'],
    ]);
    const after = env.bot.received.filter((r) => r.path === '/answered');
    expect(after).toHaveLength(3);
    const roster = after[2]?.body.value[0]?.resourceData as JsonObject[];
    expect(roster.map((p) => p.info)).toMatchObject([{ identity: { application: { id: env.emulator.appId } } }, { identity: { user: { id: 'caller-2' } } }]);
    expect(roster[0]?.id).toBe(call.resource.myParticipantId);
    expect(env.emulator.getCall(call.id)).toMatchObject({ state: 'established', callbackUri: env.bot.url('/answered'), resource: { mediaConfig: SERVICE_HOSTED } });
    // Answered: the deadline no longer applies, and the call takes actions.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(env.emulator.getCall(call.id)?.state).toBe('established');
    expect((await act(env.emulator, call.id, 'playPrompt', { prompts: [PROMPT] })).status).toBe(200);
    // Only an incoming call can be answered, rejected or redirected.
    for (const action of ['answer', 'reject', 'redirect']) {
      expect((await act(env.emulator, call.id, action, action === 'answer' ? answerBody() : {})).status).toBe(400);
    }
    await env.emulator.idle();
  });

  it('answer refuses a bad body with 400 and the call stays incoming', async () => {
    const call = env.emulator.placeIncomingCall({ callbackUri: env.bot.url() });
    const bodies = [
      answerBody({ callbackUri: undefined }),
      answerBody({ callbackUri: 'http://bot.contoso.com/api/calls' }),
      answerBody({ callbackUri: 'ftp://127.0.0.1/x' }),
      answerBody({ acceptedModalities: undefined }),
      answerBody({ acceptedModalities: [] }),
      answerBody({ acceptedModalities: ['smell'] }),
      answerBody({ mediaConfig: undefined }),
      answerBody({ mediaConfig: { '@odata.type': '#microsoft.graph.mediaConfig' } }),
      answerBody({ callOptions: 'yes' }),
      answerBody({ participantCapacity: 0 }),
      ['not', 'an', 'object'],
    ];
    for (const body of bodies) {
      const answer = await act(env.emulator, call.id, 'answer', body);
      expect([JSON.stringify(body), answer.status]).toEqual([JSON.stringify(body), 400]);
      expect(answer.body).toMatchObject({ error: { code: 'BadRequest' } });
    }
    expect(env.emulator.getCall(call.id)?.state).toBe('incoming');
    // https (here to a closed local port: nothing leaves the machine), app-hosted media and every modality are fine.
    const ok = answerBody({ callbackUri: 'https://127.0.0.1:1/api/calls', acceptedModalities: ['audio', 'video', 'videoBasedScreenSharing'], mediaConfig: { '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: '<blob>' } });
    expect((await act(env.emulator, call.id, 'answer', ok)).status).toBe(202);
    expect(env.emulator.getCall(call.id)?.callbackUri).toBe('https://127.0.0.1:1/api/calls');
    env.emulator.endCall(call.id);
    await env.emulator.idle();
  });

  it('a call nobody answers ends after answerTimeoutMs: deleted, terminated, 408/1106; answering it then is a 404', async () => {
    const call = env.emulator.placeIncomingCall({ callbackUri: env.bot.url() });
    await until(() => env.emulator.getCall(call.id)?.state === 'terminated', 2000, 'the answer deadline');
    await env.emulator.idle();
    expect(callStates(env.bot, call.id)).toEqual([
      ['created', 'incoming'],
      ['deleted', 'terminated'],
    ]);
    expect(lastCallData(env.bot, call.id)?.resultInfo).toEqual({
      '@odata.type': '#microsoft.graph.resultInfo',
      code: 408,
      subcode: 1106,
      message: 'An acknowledgement was not received for the call acceptance in the allotted time.',
    });
    const late = await act(env.emulator, call.id, 'answer', answerBody());
    expect(late).toMatchObject({ status: 404, body: { error: { code: 'itemNotFound' } } });
    expect((await act(env.emulator, call.id, 'reject', {})).status).toBe(404);
  });

  it('answer faults: outOfOrder sends established before establishing; duplicate, pascalCase and latencyMs as elsewhere', async () => {
    const first = env.emulator.placeIncomingCall({ callbackUri: env.bot.url() });
    env.emulator.faults.nextOperation('answer', { outOfOrder: true });
    await act(env.emulator, first.id, 'answer', answerBody());
    await env.emulator.idle();
    expect(callStates(env.bot, first.id)).toEqual([
      ['created', 'incoming'],
      ['updated', 'established'],
      ['updated', 'establishing'],
    ]);
    expect(env.emulator.getCall(first.id)?.state).toBe('established');

    const second = env.emulator.placeIncomingCall({ callbackUri: env.bot.url() });
    env.emulator.faults.nextOperation('answer', { duplicate: true, pascalCase: true, latencyMs: 30 });
    const started = Date.now();
    await act(env.emulator, second.id, 'answer', answerBody());
    await env.emulator.idle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(30);
    expect(callStates(env.bot, second.id)).toEqual([
      ['created', 'incoming'],
      ['Updated', 'Establishing'],
      ['Updated', 'Establishing'],
      ['Updated', 'Established'],
      ['Updated', 'Established'],
    ]);
    expect(env.emulator.deliveries.filter((d) => d.callId === second.id && d.duplicate)).toHaveLength(3);
  });

  it('answer with overtake: the answer\'s callbacks are delivered before the 202; httpError answers instead', async () => {
    const call = env.emulator.placeIncomingCall({ callbackUri: env.bot.url() });
    await env.emulator.idle();
    env.emulator.faults.nextOperation('answer', { httpError: { status: 503, retryAfterSeconds: 1 } });
    const refused = await act(env.emulator, call.id, 'answer', answerBody());
    expect(refused.status).toBe(503);
    expect(env.emulator.getCall(call.id)?.state).toBe('incoming');
    env.emulator.faults.nextOperation('answer', { overtake: true });
    expect((await act(env.emulator, call.id, 'answer', answerBody())).status).toBe(202);
    expect(callStates(env.bot, call.id).map(([, state]) => state)).toEqual(['incoming', 'establishing', 'established']);
  });

  it('reject: reason none|busy|forbidden in any case (or none given) → 202, then deleted terminated 200/7000', async () => {
    for (const body of [{ reason: 'busy' }, { reason: 'None' }, { reason: 'FORBIDDEN' }, {}, { reason: 'none', callbackUri: env.bot.url('/rejected') }]) {
      const call = env.emulator.placeIncomingCall({ callbackUri: env.bot.url() });
      const reject = await act(env.emulator, call.id, 'reject', body);
      expect(reject).toMatchObject({ status: 202, body: {} });
      await env.emulator.idle();
      expect(callStates(env.bot, call.id)).toEqual([
        ['created', 'incoming'],
        ['deleted', 'terminated'],
      ]);
      expect(lastCallData(env.bot, call.id)?.resultInfo).toMatchObject({ code: 200, subcode: 7000 });
      expect((await request(env.emulator, 'GET', `v1.0/communications/calls/${call.id}`)).status).toBe(404);
    }
    expect(env.bot.received.filter((r) => r.path === '/rejected')).toHaveLength(1);
  });

  it('reject refuses unknown reasons and bad callbackUris; unknown calls are 404', async () => {
    const call = env.emulator.placeIncomingCall({ callbackUri: env.bot.url() });
    for (const body of [{ reason: 'later' }, { reason: 3 }, { callbackUri: 'http://example.com/x' }]) {
      expect((await act(env.emulator, call.id, 'reject', body)).status).toBe(400);
    }
    expect(env.emulator.getCall(call.id)?.state).toBe('incoming');
    expect((await act(env.emulator, 'no-such-call', 'reject', {})).status).toBe(404);
    await act(env.emulator, call.id, 'reject', { reason: 'busy' });
    await env.emulator.idle();
  });

  it('redirect: 202, then updated redirecting and deleted terminated naming who answered', async () => {
    const call = env.emulator.placeIncomingCall({ callbackUri: env.bot.url() });
    const targets = [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: user('forward-1') }, { identity: user('forward-2') }];
    const redirect = await act(env.emulator, call.id, 'redirect', { targets, timeout: 30, callbackUri: env.bot.url('/redirected') });
    expect(redirect).toMatchObject({ status: 202, body: {} });
    await env.emulator.idle();
    expect(callStates(env.bot, call.id)).toEqual([
      ['created', 'incoming'],
      ['updated', 'redirecting'],
      ['deleted', 'terminated'],
    ]);
    expect(env.bot.received.filter((r) => r.path === '/redirected')).toHaveLength(2);
    expect(lastCallData(env.bot, call.id)).toMatchObject({ answeredBy: { identity: { user: { id: 'forward-1' } } }, resultInfo: { code: 200, subcode: 7000 } });
  });

  it('redirect refuses no targets, too many, a bad timeout, a bad phone', async () => {
    const call = env.emulator.placeIncomingCall({ callbackUri: env.bot.url() });
    const one = [{ identity: user('t') }];
    const many = Array.from({ length: 26 }, (_, i) => ({ identity: user(`t${i}`) }));
    const bodies: unknown[] = [{}, { targets: [] }, { targets: many }, { targets: [{}] }, { targets: one, timeout: 14 }, { targets: one, timeout: 91 }, { targets: one, timeout: 20.5 }, { targets: [{ identity: { phone: { id: '5550100' } } }] }];
    for (const body of bodies) expect([JSON.stringify(body), (await act(env.emulator, call.id, 'redirect', body)).status]).toEqual([JSON.stringify(body), 400]);
    expect(env.emulator.getCall(call.id)?.state).toBe('incoming');
    // 25 targets (simultaneous ring) and a PSTN number are fine.
    expect((await act(env.emulator, call.id, 'redirect', { targets: [...many.slice(0, 24), { identity: { phone: { id: '+12345678901' } } }], timeout: 90 })).status).toBe(202);
    await env.emulator.idle();
  });

  it('before it is answered, a call takes no other action (400)', async () => {
    const call = env.emulator.placeIncomingCall({ callbackUri: env.bot.url() });
    expect((await act(env.emulator, call.id, 'playPrompt', { prompts: [PROMPT] })).status).toBe(400);
    expect((await act(env.emulator, call.id, 'subscribeToTone', {})).status).toBe(400);
    expect((await act(env.emulator, call.id, 'transfer', { transferTarget: { identity: user('x') } })).status).toBe(400);
    await act(env.emulator, call.id, 'reject', {});
    await env.emulator.idle();
  });
});
