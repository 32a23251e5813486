/** Created calls: peer to peer, group, PSTN, meeting joins, and the simulated callee (answer, decline, no answer). */
import { describe, it, expect } from '@jest/globals';
import type { JsonObject } from '../src/index.js';
import { callStates, invitee, lastCallData, request, until, useEmulator, user } from './helpers.js';

const SERVICE_HOSTED = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };

describe('outgoing calls', () => {
  const env = useEmulator({ ringTimeoutMs: 150 });

  const body = (extra: JsonObject = {}): JsonObject => ({
    '@odata.type': '#microsoft.graph.call',
    callbackUri: env.bot.url(),
    targets: [invitee(user('callee'))],
    requestedModalities: ['audio'],
    mediaConfig: SERVICE_HOSTED,
    ...extra,
  });
  const create = (extra: JsonObject = {}, version = 'v1.0') => request(env.emulator, 'POST', `${version}/communications/calls`, body(extra));
  const idOf = (response: { body: unknown }) => String((response.body as JsonObject).id);
  const refused = async (extra: JsonObject): Promise<number> => (await create(extra)).status;

  it('peer to peer: 201 with Location and the call in establishing (callChainId, myParticipantId), then establishing, established', async () => {
    const response = await create();
    expect(response.status).toBe(201);
    const callId = idOf(response);
    expect(response.headers.get('location')).toBe(`${env.emulator.url}v1.0/communications/calls/${callId}`);
    expect(response.body).toMatchObject({ state: 'establishing', direction: 'outgoing', callChainId: expect.stringMatching(/^[0-9a-f-]{36}$/), myParticipantId: expect.any(String) });
    expect((await create({}, 'beta')).headers.get('location')).toMatch(/\/beta\/communications\/calls\//);
    await env.emulator.idle();
    expect(callStates(env.bot, callId)).toEqual([
      ['updated', 'establishing'],
      ['updated', 'established'],
    ]);
    expect(env.emulator.getCall(callId)).toMatchObject({ kind: 'peerToPeer', state: 'established' });
  });

  it('group: up to 5 VoIP targets; 6 is a 400', async () => {
    const five = Array.from({ length: 5 }, (_, i) => invitee(user(`member-${i}`)));
    const response = await create({ targets: five });
    expect(response.status).toBe(201);
    await env.emulator.idle();
    expect(env.emulator.getCall(idOf(response))).toMatchObject({ kind: 'group', state: 'established' });
    expect(env.emulator.getCall(idOf(response))?.participants).toHaveLength(6);
    expect(await refused({ targets: [...five, invitee(user('member-5'))] })).toBe(400);
  });

  it('PSTN: an application instance as source and an E.164 phone target; 400 otherwise', async () => {
    const source = { '@odata.type': '#microsoft.graph.participantInfo', identity: { applicationInstance: { id: 'instance-1', displayName: 'Calling Bot' } } };
    const phone = [invitee({ phone: { id: '+12345678901' } })];
    const response = await create({ source, targets: phone, tenantId: 'tenant-pstn' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ source: { identity: { applicationInstance: { id: 'instance-1' } } }, tenantId: 'tenant-pstn' });
    expect(await refused({ targets: phone })).toBe(400);
    expect(await refused({ source: { identity: { application: { id: env.emulator.appId } } }, targets: phone })).toBe(400);
    expect(await refused({ source, targets: [invitee({ phone: { id: '12345' } })] })).toBe(400);
    expect(await refused({ source, targets: [...phone, invitee(user('someone'))] })).toBe(400);
    const answer = await create({ source, targets: phone });
    expect(answer.body).toMatchObject({ state: 'establishing' });
    await env.emulator.idle();
  });

  it('Teams meeting by organizer: chatInfo + organizerMeetingInfo + tenantId; 400 without the organizer or the chat thread', async () => {
    const chatInfo = { '@odata.type': '#microsoft.graph.chatInfo', threadId: '19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNWY2NmNkYTFm@thread.v2', messageId: '0' };
    const meetingInfo = { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { '@odata.type': '#microsoft.graph.identitySet', user: { id: '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96', tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a' } } };
    const response = await create({ targets: undefined, chatInfo, meetingInfo, tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ chatInfo, meetingInfo, tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a', state: 'establishing' });
    expect(env.emulator.getCall(idOf(response))?.kind).toBe('meeting');
    expect(await refused({ targets: undefined, chatInfo, meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo' } })).toBe(400);
    expect(await refused({ targets: undefined, meetingInfo })).toBe(400);
    expect(await refused({ targets: undefined, chatInfo: { threadId: '19:x@thread.v2' }, meetingInfo })).toBe(400);
    expect(await refused({ targets: undefined, chatInfo, meetingInfo: { '@odata.type': '#microsoft.graph.tokenMeetingInfo', token: 't' } })).toBe(400);
    await env.emulator.idle();
    expect(env.emulator.getCall(idOf(response))?.state).toBe('established');
  });

  it('Teams meeting by id: joinMeetingIdMeetingInfo with joinMeetingId (passcode optional); the answer carries a chat thread', async () => {
    for (const passcode of ['psw123', null]) {
      const meetingInfo = { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '1234567', passcode };
      const response = await create({ targets: undefined, meetingInfo, tenantId: 'tenant-m' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ meetingInfo, chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: expect.stringMatching(/^19:meeting_/), messageId: '0' }, targets: [] });
      expect(env.emulator.getCall(idOf(response))?.kind).toBe('meeting');
    }
    expect(await refused({ targets: undefined, meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', passcode: 'x' } })).toBe(400);
    expect(await refused({ targets: undefined, meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '1', passcode: 7 } })).toBe(400);
    await env.emulator.idle();
  });

  it('callee decline: establishing, then deleted terminated 480/10134', async () => {
    env.emulator.faults.nextCall({ callee: 'decline' });
    expect(env.emulator.faults.pendingCalls).toBe(1);
    const callId = idOf(await create());
    expect(env.emulator.faults.pendingCalls).toBe(0);
    await env.emulator.idle();
    expect(callStates(env.bot, callId)).toEqual([
      ['updated', 'establishing'],
      ['deleted', 'terminated'],
    ]);
    expect(lastCallData(env.bot, callId)?.resultInfo).toMatchObject({ code: 480, subcode: 10134 });
    expect((await request(env.emulator, 'GET', `v1.0/communications/calls/${callId}`)).status).toBe(404);
    expect(env.emulator.getCall(callId)?.participants).toEqual([]);
  });

  it('callee noAnswer: establishing, then after ringTimeoutMs deleted terminated 480/10076; endResult overrides the code', async () => {
    env.emulator.faults.nextCall({ callee: 'noAnswer' });
    const started = Date.now();
    const callId = idOf(await create());
    await env.emulator.idle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(callStates(env.bot, callId)).toEqual([
      ['updated', 'establishing'],
      ['deleted', 'terminated'],
    ]);
    expect(lastCallData(env.bot, callId)?.resultInfo).toEqual({ '@odata.type': '#microsoft.graph.resultInfo', code: 480, subcode: 10076, message: 'Callee could not be reached.' });

    env.emulator.faults.nextCall({ callee: 'noAnswer', endResult: { code: 408, subcode: 10057, message: 'Call timed out due to no signaling from callee endpoints.' } });
    const other = idOf(await create());
    await env.emulator.idle();
    expect(lastCallData(env.bot, other)?.resultInfo).toMatchObject({ code: 408, subcode: 10057 });
  });

  it('the bot hangs up while it rings: the ring timeout then sends nothing more', async () => {
    env.emulator.faults.nextCall({ callee: 'noAnswer' });
    const callId = idOf(await create());
    await until(() => callStates(env.bot, callId).length === 1);
    expect((await request(env.emulator, 'DELETE', `v1.0/communications/calls/${callId}`)).status).toBe(204);
    await env.emulator.idle();
    expect(callStates(env.bot, callId)).toEqual([
      ['updated', 'establishing'],
      ['updated', 'terminating'],
      ['deleted', 'terminated'],
    ]);
    expect(lastCallData(env.bot, callId)?.resultInfo).toMatchObject({ code: 200, subcode: 5001 });
  });

  it('overtake: the first callbacks are delivered (and answered) before the 201', async () => {
    env.emulator.faults.nextCall({ overtake: true });
    const response = await create();
    const callId = idOf(response);
    expect(response.body).toMatchObject({ state: 'establishing' });
    expect(callStates(env.bot, callId)).toEqual([['updated', 'establishing']]);
    await env.emulator.idle();
  });

  it('outOfOrder sends established before establishing; callback faults apply; httpError refuses the request', async () => {
    env.emulator.faults.nextCall({ outOfOrder: true, pascalCase: true });
    const callId = idOf(await create());
    await env.emulator.idle();
    expect(callStates(env.bot, callId)).toEqual([
      ['Updated', 'Established'],
      ['Updated', 'Establishing'],
    ]);
    env.emulator.faults.nextCall({ httpError: { status: 503, retryAfterSeconds: 2 } });
    const busy = await create();
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('2');
  });
});
