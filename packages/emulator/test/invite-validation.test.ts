/** The invite refusals: every rule answers a Graph-style error and starts nothing. */
import { describe, it, expect, beforeAll } from '@jest/globals';
import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import type { JsonObject } from '../src/index.js';
import { graphClient, invitee, request, useEmulator, user } from './helpers.js';

describe('invite validation', () => {
  let client: Client;
  let groupCall: string;
  let p2pCall: string;
  const env = useEmulator({}, 'nothing');
  beforeAll(() => {
    client = graphClient(env.emulator);
    groupCall = env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group', participants: [user('member')] }).id;
    p2pCall = env.emulator.createCall({ callbackUri: env.bot.url(), participants: [user('peer')] }).id;
  });

  async function refused(callId: string, body: unknown): Promise<{ status: number; code: string; message: string }> {
    const before = env.emulator.deliveries.length;
    const response = await request(env.emulator, 'POST', `v1.0/communications/calls/${callId}/participants/invite`, body);
    await env.emulator.idle();
    expect(env.emulator.deliveries.length).toBe(before);
    const error = (response.body as { error: { code: string; message: string } }).error;
    return { status: response.status, code: error.code, message: error.message };
  }

  const users = (n: number): JsonObject[] => Array.from({ length: n }, (_, i) => invitee(user(`user-${i}`)));

  it('404 for an unknown call, with an itemNotFound error', async () => {
    expect(await refused('00000000-0000-0000-0000-000000000000', { participants: users(1) })).toMatchObject({ status: 404, code: 'itemNotFound' });
  });

  it('404 for a call that has ended', async () => {
    const ended = env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group' }).id;
    expect(env.emulator.endCall(ended)).toBe(true);
    await env.emulator.idle();
    expect(await refused(ended, { participants: users(1) })).toMatchObject({ status: 404, code: 'itemNotFound' });
  });

  it('400 with no participants, an empty list, or a body that is not an object', async () => {
    expect(await refused(groupCall, { clientContext: 'x' })).toMatchObject({ status: 400, code: 'BadRequest' });
    expect(await refused(groupCall, { participants: [] })).toMatchObject({ status: 400, message: expect.stringContaining('at least one') });
    expect(await refused(groupCall, [1, 2])).toMatchObject({ status: 400 });
  });

  it('400 for a body that is not JSON', async () => {
    const response = await fetch(new URL(`v1.0/communications/calls/${groupCall}/participants/invite`, env.emulator.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"participants": [',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'BadRequest' } });
  });

  it('400 for more than 5 participants; 5 are accepted', async () => {
    expect(await refused(groupCall, { participants: users(6) })).toMatchObject({ status: 400, message: expect.stringContaining('At most 5') });
    const accepted = await request(env.emulator, 'POST', `v1.0/communications/calls/${groupCall}/participants/invite`, { participants: users(5) });
    expect(accepted.status).toBe(200);
    await env.emulator.idle();
  });

  it('400 for several participants on a peer-to-peer call; one is accepted', async () => {
    expect(await refused(p2pCall, { participants: [invitee(user('x')), invitee(user('y'))] })).toMatchObject({
      status: 400,
      message: expect.stringContaining('group calls'),
    });
    const accepted = await request(env.emulator, 'POST', `beta/communications/calls/${p2pCall}/participants/invite`, { participants: [invitee(user('x'))] });
    expect(accepted.status).toBe(200);
    await env.emulator.idle();
  });

  it('400 for more than one participant with replacesCallId or participantId', async () => {
    const withReplace = [invitee(user('a'), { replacesCallId: p2pCall }), invitee(user('b'))];
    expect(await refused(groupCall, { participants: withReplace })).toMatchObject({ status: 400, message: expect.stringContaining('replacesCallId') });
    const withMove = [invitee(user('a'), { replacesCallId: p2pCall, participantId: 'p' }), invitee(user('b'), { replacesCallId: p2pCall, participantId: 'q' })];
    expect(await refused(groupCall, { participants: withMove })).toMatchObject({ status: 400 });
  });

  it('400 for a participant without an identity, or whose identity names nobody', async () => {
    expect(await refused(groupCall, { participants: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo' }] })).toMatchObject({
      status: 400,
      message: expect.stringContaining('participants[0]'),
    });
    expect(await refused(groupCall, { participants: [invitee({ user: null, phone: null })] })).toMatchObject({ status: 400 });
    expect(await refused(groupCall, { participants: [invitee(user('a')), invitee({ user: { displayName: 'No id' } })] })).toMatchObject({
      status: 400,
      message: expect.stringContaining('participants[1]'),
    });
  });

  it('400 for more than one bot (application or applicationInstance) in one invite', async () => {
    const bots = [invitee({ application: { id: 'bot-1' } }), invitee({ applicationInstance: { id: 'bot-2' } })];
    expect(await refused(groupCall, { participants: bots })).toMatchObject({ status: 400, message: expect.stringContaining('one bot') });
  });

  it('400 for the same identity twice (ids compared without case)', async () => {
    const twice = [invitee(user('AbC-1')), invitee(user('abc-1'))];
    expect(await refused(groupCall, { participants: twice })).toMatchObject({ status: 400, message: expect.stringContaining('twice') });
  });

  it('400 for a phone id that is not E.164', async () => {
    for (const id of ['12345678901', '+0123', '+1234567890123456', '+1 234 567']) {
      expect(await refused(groupCall, { participants: [invitee({ phone: { id } })] })).toMatchObject({ status: 400, message: expect.stringContaining('E.164') });
    }
  });

  it('400 for a clientContext over 256 characters; 256 are accepted', async () => {
    expect(await refused(groupCall, { participants: users(1), clientContext: 'c'.repeat(257) })).toMatchObject({
      status: 400,
      message: expect.stringContaining('256'),
    });
    expect(await refused(groupCall, { participants: users(1), clientContext: 42 })).toMatchObject({ status: 400 });
    const accepted = await request(env.emulator, 'POST', `v1.0/communications/calls/${groupCall}/participants/invite`, {
      participants: users(1),
      clientContext: 'c'.repeat(256),
    });
    expect(accepted.status).toBe(200);
    await env.emulator.idle();
  });

  it('the Graph client surfaces a refusal as a GraphError with the status and code', async () => {
    const error = await client
      .api(`/communications/calls/${groupCall}/participants/invite`)
      .post({ participants: [] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ statusCode: 400, code: 'BadRequest' });
  });
});
