/** Scripted faults: each one changes what the bot sees in the way its comment promises. */
import { describe, it, expect, beforeAll, beforeEach } from '@jest/globals';
import { GraphError, ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import type { JsonObject } from '../src/index.js';
import { graphClient, invitee, useEmulator, user } from './helpers.js';

describe('fault scripting', () => {
  let client: Client;
  const log: string[] = [];
  const env = useEmulator({ logger: (message) => log.push(message) });
  beforeAll(() => {
    client = graphClient(env.emulator);
  });
  beforeEach(() => {
    log.length = 0;
  });

  function groupCall(): string {
    return env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group', participants: [user('member')] }).id;
  }

  async function invite(callId: string, clientContext = 'ctx-1'): Promise<{ status: number; body: JsonObject }> {
    const response = (await client
      .api(`/communications/calls/${callId}/participants/invite`)
      .responseType(ResponseType.RAW)
      .post({ participants: [invitee(user('guest-1'))], clientContext })) as Response;
    return { status: response.status, body: (await response.json()) as JsonObject };
  }

  const first = (i: number) => env.bot.received[i]?.body.value[0];

  it('fail: the operation fails with the scripted resultInfo and nobody joins', async () => {
    const callId = groupCall();
    env.emulator.faults.nextInvite({ fail: { code: 403, subcode: 10151, message: 'Forbidden: PSTN not enabled. DiagCode: 403#10151' } });
    const response = await invite(callId);
    expect(response.body.status).toBe('Running');
    await env.emulator.idle();
    expect(env.bot.received).toHaveLength(1);
    expect(first(0)).toMatchObject({
      changeType: 'deleted',
      resourceUrl: `/communications/calls/${callId}/operations/${String(response.body.id)}`,
      resourceData: {
        '@odata.type': '#microsoft.graph.inviteParticipantsOperation',
        status: 'failed',
        clientContext: 'ctx-1',
        resultInfo: { code: 403, subcode: 10151, message: 'Forbidden: PSTN not enabled. DiagCode: 403#10151' },
      },
    });
    const call = env.emulator.getCall(callId);
    expect(call?.participants).toHaveLength(2);
    expect(call?.operations[0]).toMatchObject({ status: 'failed', resultInfo: { code: 403, subcode: 10151 } });
  });

  it('neverComplete: the invite answers Running, then no outcome comes and nobody joins', async () => {
    const callId = groupCall();
    env.emulator.faults.nextInvite({ neverComplete: true, completeInResponse: true, fail: { code: 500, subcode: 0, message: 'ignored' } });
    const response = await invite(callId);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'Running', resultInfo: null, clientContext: 'ctx-1' });
    expect(env.emulator.faults.pendingInvites).toBe(0);
    await env.emulator.idle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(env.bot.received).toEqual([]);
    const call = env.emulator.getCall(callId);
    expect(call?.participants).toHaveLength(2);
    expect(call?.operations).toEqual([expect.objectContaining({ id: response.body.id, action: 'invite', status: 'running', resultInfo: null })]);
    // The next invite is normal again.
    await invite(callId, 'ctx-2');
    await env.emulator.idle();
    expect(env.emulator.getCall(callId)?.participants).toHaveLength(3);
  });

  it('duplicate: every callback is sent twice, the copy right after the original', async () => {
    const callId = groupCall();
    const start = env.emulator.deliveries.length;
    env.emulator.faults.nextInvite({ duplicate: true });
    await invite(callId);
    await env.emulator.idle();
    const sent = env.emulator.deliveries.slice(start);
    expect(sent.map((d) => [d.kind, d.duplicate])).toEqual([
      ['roster', false],
      ['roster', true],
      ['operation', false],
      ['operation', true],
    ]);
    expect(env.bot.received.map((r) => r.body)).toEqual([sent[0]?.body, sent[0]?.body, sent[2]?.body, sent[2]?.body]);
  });

  it('order operationFirst: the outcome arrives before the roster', async () => {
    const callId = groupCall();
    env.emulator.faults.nextInvite({ order: 'operationFirst' });
    await invite(callId);
    await env.emulator.idle();
    expect(env.bot.about(callId).map((n) => n.resourceUrl.split('/')[4])).toEqual(['operations', 'participants']);
  });

  it('order shuffled: the same callbacks, in some order', async () => {
    const callId = groupCall();
    env.emulator.faults.nextInvite({ order: 'shuffled', duplicate: true });
    await invite(callId);
    await env.emulator.idle();
    expect(env.bot.about(callId).map((n) => n.changeType).sort()).toEqual(['deleted', 'deleted', 'updated', 'updated']);
  });

  it('overtake: the callbacks are delivered and answered before the invite response', async () => {
    const callId = groupCall();
    env.emulator.faults.nextInvite({ overtake: true });
    const response = await invite(callId);
    const receivedBeforeResponse = env.bot.received.length;
    expect(receivedBeforeResponse).toBe(2);
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('Running');
    expect(first(1)?.resourceData).toMatchObject({ id: response.body.id, status: 'completed' });
    await env.emulator.idle();
    expect(env.bot.received).toHaveLength(2);
  });

  it('nullOperationId: the outcome has id null on /operations/participants (seed 001 example 2)', async () => {
    const callId = groupCall();
    env.emulator.faults.nextInvite({ nullOperationId: true });
    await invite(callId);
    await env.emulator.idle();
    expect(first(1)).toMatchObject({
      changeType: 'deleted',
      resource: `/communications/calls/${callId}/operations/participants`,
      resourceUrl: `/communications/calls/${callId}/operations/participants`,
      resourceData: { status: 'completed', clientContext: 'ctx-1', id: null },
    });
  });

  it('rosterOnOperationsPath and nullParticipantIds: the roster as seed 001 example 2 prints it', async () => {
    const callId = groupCall();
    env.emulator.faults.nextInvite({ rosterOnOperationsPath: true, nullParticipantIds: true });
    await invite(callId);
    await env.emulator.idle();
    expect(first(0)).toMatchObject({
      changeType: 'updated',
      resource: `/app/calls/${callId}/operations/participants`,
      resourceUrl: `/communications/calls/${callId}/operations/participants`,
      resourceData: [{ '@odata.type': '#microsoft.graph.participant', id: null }],
    });
  });

  it('pascalCase: capitalised change types, statuses, states and endpoint types', async () => {
    const callId = groupCall();
    env.emulator.faults.nextInvite({ pascalCase: true });
    await invite(callId);
    await env.emulator.idle();
    expect(first(0)).toMatchObject({ changeType: 'Updated', resourceData: [{ info: { endpointType: 'Default' } }] });
    expect(first(1)).toMatchObject({ changeType: 'Deleted', resourceData: { status: 'Completed' } });

    env.bot.reset();
    env.emulator.faults.callbacks({ pascalCase: true });
    const announced = env.emulator.createCall({ callbackUri: env.bot.url(), participants: [user('peer')], announce: true });
    await env.emulator.idle();
    expect(env.bot.about(announced.id).map((n) => [n.changeType, (n.resourceData as JsonObject).state])).toEqual([
      ['Updated', 'Establishing'],
      ['Updated', 'Established'],
      ['Updated', undefined],
    ]);
  });

  it('completeInResponse: the response says completed and no operation callback follows', async () => {
    const callId = groupCall();
    env.emulator.faults.nextInvite({ completeInResponse: true });
    const response = await invite(callId);
    expect(response.body).toMatchObject({ status: 'completed', resultInfo: null });
    await env.emulator.idle();
    expect(env.bot.about(callId).map((n) => n.resourceUrl)).toEqual([`/communications/calls/${callId}/participants`]);
  });

  it('completeInResponse with fail: the response says failed with the resultInfo, and nothing is sent', async () => {
    const callId = groupCall();
    env.emulator.faults.nextInvite({ completeInResponse: true, fail: { code: 412, subcode: 9999, message: 'DiagCode: 412#10073' } });
    const response = await invite(callId);
    expect(response.body).toMatchObject({ status: 'failed', resultInfo: { code: 412, subcode: 9999 } });
    await env.emulator.idle();
    expect(env.bot.about(callId)).toEqual([]);
  });

  it('latencyMs: the callbacks come later, and idle() waits for them', async () => {
    const callId = groupCall();
    env.emulator.faults.nextInvite({ latencyMs: 150 });
    await invite(callId);
    await env.emulator.idle();
    expect(env.bot.about(callId)).toHaveLength(2);
  });

  it('httpError 403: the invite is answered with a Graph error and nothing starts', async () => {
    const callId = groupCall();
    env.emulator.faults.nextInvite({ httpError: { status: 403, message: 'Application is not allowed to call.' } });
    const error = await client
      .api(`/communications/calls/${callId}/participants/invite`)
      .post({ participants: [invitee(user('guest-1'))], clientContext: 'ctx-403' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ statusCode: 403, code: 'Forbidden', message: 'Application is not allowed to call.' });
    await env.emulator.idle();
    expect(env.emulator.getCall(callId)?.operations).toEqual([]);
    expect(env.bot.about(callId)).toEqual([]);
  });

  it('httpError 429 with Retry-After once: the Graph client sends the invite again and it succeeds', async () => {
    const callId = groupCall();
    env.emulator.faults.nextInvite({ httpError: { status: 429, retryAfterSeconds: 0 } });
    const response = await invite(callId, 'ctx-429');
    expect(response.status).toBe(200);
    expect(log.filter((line) => line.startsWith('POST') && line.endsWith('/participants/invite'))).toHaveLength(2);
    expect(log.some((line) => line.includes('-> 429 TooManyRequests'))).toBe(true);
    expect(env.emulator.faults.pendingInvites).toBe(0);
    await env.emulator.idle();
    expect(env.emulator.getCall(callId)?.operations.map((op) => op.clientContext)).toEqual(['ctx-429']);
  });

  it('nextInvite(script, times) applies to that many invites; clear() drops what is left', async () => {
    const callId = groupCall();
    env.emulator.faults.nextInvite({ fail: { code: 500, subcode: 1, message: 'x' } }, 3);
    expect(env.emulator.faults.pendingInvites).toBe(3);
    await invite(callId, 'a');
    expect(env.emulator.faults.pendingInvites).toBe(2);
    env.emulator.faults.clear();
    await invite(callId, 'b');
    await env.emulator.idle();
    expect(env.emulator.getCall(callId)?.operations.map((op) => op.status)).toEqual(['failed', 'completed']);
  });

  it('standing callback faults apply to every callback until cleared', async () => {
    env.emulator.faults.callbacks({ duplicate: true });
    const call = env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group' });
    env.emulator.endCall(call.id);
    await env.emulator.idle();
    expect(env.bot.about(call.id).map((n) => n.changeType)).toEqual(['updated', 'updated', 'deleted', 'deleted']);

    env.bot.reset();
    env.emulator.faults.callbacks(null);
    const next = groupCall();
    await invite(next);
    await env.emulator.idle();
    expect(env.bot.about(next)).toHaveLength(2);
  });
});
