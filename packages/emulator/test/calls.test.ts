/** The calls API: create, read, roster, operations, DELETE, and the test helpers that act for Graph. */
import { describe, it, expect, beforeAll } from '@jest/globals';
import type { Client } from '@microsoft/microsoft-graph-client';
import { GraphEmulator, type JsonObject } from '../src/index.js';
import { graphClient, invitee, request, useEmulator, user } from './helpers.js';

describe('calls API', () => {
  let client: Client;
  const env = useEmulator({}, 'resetBot');
  beforeAll(() => {
    client = graphClient(env.emulator);
  });

  const createBody = (extra: JsonObject = {}): JsonObject => ({
    '@odata.type': '#microsoft.graph.call',
    callbackUri: env.bot.url(),
    targets: [invitee(user('target-1'))],
    requestedModalities: ['audio'],
    mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    ...extra,
  });

  it('POST /communications/calls: 201 with the call, then establishing, established and the roster', async () => {
    const call = (await client.api('/communications/calls').post(createBody())) as JsonObject;
    expect(call).toMatchObject({
      '@odata.type': '#microsoft.graph.call',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      state: 'establishing',
      direction: 'outgoing',
      callbackUri: env.bot.url(),
      requestedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
      tenantId: env.emulator.tenantId,
      source: { identity: { application: { id: env.emulator.appId } } },
    });
    const callId = String(call.id);
    expect(env.emulator.getCall(callId)?.kind).toBe('peerToPeer');
    await env.emulator.idle();

    const notifications = env.bot.about(callId);
    expect(notifications.map((n) => [n.changeType, n.resource, n.resourceUrl])).toEqual([
      ['updated', `/app/calls/${callId}`, `/communications/calls/${callId}`],
      ['updated', `/app/calls/${callId}`, `/communications/calls/${callId}`],
      ['updated', `/app/calls/${callId}/participants`, `/communications/calls/${callId}/participants`],
    ]);
    expect(notifications.map((n) => (n.resourceData as JsonObject).state)).toEqual(['establishing', 'established', undefined]);
    const roster = notifications[2]?.resourceData as JsonObject[];
    expect(roster.map((p) => p.info)).toMatchObject([
      { identity: { application: { id: env.emulator.appId, tenantId: env.emulator.tenantId } } },
      { identity: { user: { id: 'target-1', tenantId: env.emulator.tenantId } } },
    ]);
    expect(roster[0]?.id).toBe((await client.api(`/communications/calls/${callId}`).get()).myParticipantId);
  });

  it('keeps chatInfo/meetingInfo, and the kind follows them (meeting, group call)', async () => {
    // A join by organizer needs organizer.user.id and chatInfo's threadId and messageId.
    const organizer = { user: { id: 'organizer', tenantId: env.emulator.tenantId } };
    const meeting = (await client.api('/communications/calls').version('beta').post(
      createBody({ targets: [], meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer }, chatInfo: { threadId: 't', messageId: '0' } }),
    )) as JsonObject;
    expect(meeting).toMatchObject({ meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo' }, chatInfo: { threadId: 't' } });
    expect(env.emulator.getCall(String(meeting.id))?.kind).toBe('meeting');
    const group = (await client.api('/communications/calls').post(createBody({ targets: [invitee(user('a')), invitee(user('b'))] }))) as JsonObject;
    expect(env.emulator.getCall(String(group.id))?.kind).toBe('group');
    expect((await request(env.emulator, 'POST', 'beta/communications/calls', createBody())).status).toBe(201);
    await env.emulator.idle();
  });

  it('refuses create bodies without a callbackUri or anyone to call', async () => {
    for (const body of [createBody({ callbackUri: undefined }), createBody({ callbackUri: 'not a url' }), createBody({ targets: [] }), createBody({ targets: [{}] })]) {
      const response = await request(env.emulator, 'POST', 'v1.0/communications/calls', body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'BadRequest', message: expect.any(String), innerError: { 'request-id': expect.any(String) } } });
    }
  });

  it('GET a call and its participants; 404 itemNotFound for unknown ones', async () => {
    const created = env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group', participants: [user('a'), user('b')] });
    const call = (await client.api(`/communications/calls/${created.id}`).get()) as JsonObject;
    expect(call).toMatchObject({ id: created.id, state: 'established' });
    const participants = (await client.api(`/communications/calls/${created.id}/participants`).version('beta').get()) as { value: JsonObject[] };
    expect(participants.value).toHaveLength(3);
    const one = participants.value[1] as JsonObject;
    expect(await client.api(`/communications/calls/${created.id}/participants/${String(one.id)}`).get()).toEqual(one);

    const unknown = await request(env.emulator, 'GET', 'v1.0/communications/calls/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'itemNotFound' } });
    expect((await request(env.emulator, 'GET', 'v1.0/communications/calls/nope/participants')).status).toBe(404);
    expect((await request(env.emulator, 'GET', `v1.0/communications/calls/${created.id}/participants/nope`)).status).toBe(404);
    // Nothing was announced for a silent fixture.
    expect(env.bot.about(created.id)).toEqual([]);
  });

  it('the deprecated /app/calls path serves the same calls', async () => {
    const created = env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group' });
    expect((await request(env.emulator, 'GET', `v1.0/app/calls/${created.id}`)).body).toMatchObject({ id: created.id });
  });

  it('the Location of an invite names the operation, which GET answers', async () => {
    const created = env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group' });
    const response = await request(env.emulator, 'POST', `v1.0/communications/calls/${created.id}/participants/invite`, {
      participants: [invitee(user('guest'))],
      clientContext: 'ctx-op',
    });
    const location = String(response.headers.get('location'));
    expect(location.startsWith(env.emulator.url)).toBe(true);
    await env.emulator.idle();
    const operation = await request(env.emulator, 'GET', location.slice(env.emulator.url.length));
    expect(operation.body).toMatchObject({ '@odata.type': '#microsoft.graph.inviteParticipantsOperation', status: 'completed', clientContext: 'ctx-op' });
    expect((await request(env.emulator, 'GET', `v1.0/communications/calls/${created.id}/operations/nope`)).status).toBe(404);
  });

  it('DELETE a call: 204, then updated/terminating and deleted/terminated with resultInfo 200/5001', async () => {
    const created = env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group' });
    const response = await request(env.emulator, 'DELETE', `v1.0/communications/calls/${created.id}`);
    expect(response.status).toBe(204);
    expect(response.body).toBeUndefined();
    await env.emulator.idle();
    expect(env.bot.received.map((r) => r.body)).toEqual([
      {
        '@odata.type': '#microsoft.graph.commsNotifications',
        value: [
          expect.objectContaining({
            '@odata.type': '#microsoft.graph.commsNotification',
            changeType: 'updated',
            resource: `/app/calls/${created.id}`,
            resourceUrl: `/communications/calls/${created.id}`,
            resourceData: expect.objectContaining({ '@odata.type': '#microsoft.graph.call', id: created.id, state: 'terminating', resultInfo: null }),
          }),
        ],
      },
      {
        '@odata.type': '#microsoft.graph.commsNotifications',
        value: [
          expect.objectContaining({
            changeType: 'deleted',
            resourceUrl: `/communications/calls/${created.id}`,
            resourceData: expect.objectContaining({
              state: 'terminated',
              resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 200, subcode: 5001, message: 'The conversation has ended.' },
            }),
          }),
        ],
      },
    ]);
    expect(env.emulator.getCall(created.id)).toMatchObject({ state: 'terminated', resultInfo: { code: 200, subcode: 5001 } });
    expect((await request(env.emulator, 'DELETE', `v1.0/communications/calls/${created.id}`)).status).toBe(404);
    expect((await request(env.emulator, 'GET', `beta/communications/calls/${created.id}`)).status).toBe(404);
  });

  it('the Graph client deletes a call too', async () => {
    const created = env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group' });
    await client.api(`/communications/calls/${created.id}`).delete();
    await env.emulator.idle();
    expect(env.bot.about(created.id).map((n) => n.changeType)).toEqual(['updated', 'deleted']);
  });

  it('an invite still running when its call ends fails', async () => {
    // Invitees that take long to answer, so that the call surely ends first.
    const slow = await GraphEmulator.start({ autoAnswerMs: 300 });
    try {
      const created = slow.createCall({ callbackUri: env.bot.url(), kind: 'group' });
      const response = await request(slow, 'POST', `v1.0/communications/calls/${created.id}/participants/invite`, { participants: [invitee(user('late'))] });
      expect(response.status).toBe(200);
      slow.endCall(created.id);
      await slow.idle();
      const outcome = env.bot.about(created.id).find((n) => n.resourceUrl.includes('/operations/'));
      expect(outcome?.resourceData).toMatchObject({ status: 'failed', resultInfo: { code: 410 } });
      expect(slow.getCall(created.id)?.participants).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it('helpers: addParticipant, removeParticipant, DELETE participant and endCall send roster and call notifications', async () => {
    const created = env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group' });
    const joined = env.emulator.addParticipant(created.id, { phone: { id: '+15550100' } });
    const second = env.emulator.addParticipant(created.id, user('x'));
    expect(env.emulator.removeParticipant(created.id, joined)).toBe(true);
    expect(env.emulator.removeParticipant(created.id, joined)).toBe(false);
    expect((await request(env.emulator, 'DELETE', `v1.0/communications/calls/${created.id}/participants/${second}`)).status).toBe(204);
    expect(env.emulator.endCall(created.id, { code: 500, subcode: 9999, message: 'MediaProcessorShutdown' })).toBe(true);
    expect(env.emulator.endCall(created.id)).toBe(false);
    await env.emulator.idle();
    const notifications = env.bot.about(created.id);
    expect(notifications.map((n) => [n.changeType, n.resourceUrl.split('/').at(-1)])).toEqual([
      ['updated', 'participants'],
      ['updated', 'participants'],
      ['deleted', 'participants'],
      ['deleted', 'participants'],
      ['updated', created.id],
      ['deleted', created.id],
    ]);
    expect(notifications[2]?.resourceData).toMatchObject([{ id: joined, info: { identity: { phone: { id: '+15550100' } } } }]);
    expect(notifications[5]?.resourceData).toMatchObject({ state: 'terminated', resultInfo: { code: 500, subcode: 9999 } });
  });

  it('announced fixtures behave like created calls', async () => {
    const created = env.emulator.createCall({ callbackUri: env.bot.url(), participants: [user('p')], announce: true });
    expect(created.state).toBe('establishing');
    await env.emulator.idle();
    expect(env.emulator.getCall(created.id)?.state).toBe('established');
    expect(env.bot.about(created.id)).toHaveLength(3);
  });

  it('answers 404 for unknown paths and 405 for wrong methods, in Graph error form', async () => {
    expect(await request(env.emulator, 'GET', 'v1.0/me')).toMatchObject({ status: 404, body: { error: { code: 'NotFound' } } });
    expect(await request(env.emulator, 'DELETE', 'v1.0/communications/calls')).toMatchObject({ status: 405, body: { error: { code: 'MethodNotAllowed' } } });
  });
});
