/** Scripted faults per call action: each changes what the bot sees as its comment promises. */
import { describe, it, expect, beforeAll, beforeEach } from '@jest/globals';
import { GraphError, ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import type { JsonObject } from '../src/index.js';
import { graphClient, request, useEmulator } from './helpers.js';
import { PROMPT, aboutOperation, act, compact, groupCall } from './action-helpers.js';

describe('operation faults', () => {
  let client: Client;
  const log: string[] = [];
  const env = useEmulator({ operationDelayMs: 5, logger: (message) => log.push(message) });
  beforeAll(() => {
    client = graphClient(env.emulator);
  });
  beforeEach(() => {
    log.length = 0;
  });

  const forbidden = { code: 403, subcode: 8506, message: 'Forbidden: policy-based recording only.' };

  it('fail on a callback action: the completion says failed with the resultInfo', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    env.emulator.faults.nextOperation('playPrompt', { fail: { code: 500, subcode: 9999, message: 'Prompt could not be played.' } });
    const answer = await act(env.emulator, callId, 'playPrompt', { prompts: [PROMPT], clientContext: 'p' });
    expect(answer.body.status).toBe('running');
    await env.emulator.idle();
    expect(aboutOperation(env.bot, callId, String(answer.body.id))[0]?.resourceData).toMatchObject({
      status: 'failed',
      clientContext: 'p',
      resultInfo: { code: 500, subcode: 9999, message: 'Prompt could not be played.' },
    });
    expect(env.emulator.getCall(callId)?.operations[0]).toMatchObject({ status: 'failed', resultInfo: { code: 500, subcode: 9999 } });
  });

  it('fail on recordResponse: no recording is made', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    env.emulator.faults.nextOperation('recordResponse', { fail: { code: 500, subcode: 8510, message: 'Recording failed.' } });
    const answer = await act(env.emulator, callId, 'recordResponse', {});
    await env.emulator.idle();
    expect(aboutOperation(env.bot, callId, String(answer.body.id))[0]?.resourceData).toMatchObject({ status: 'failed', recordingLocation: '', recordingAccessToken: '' });
    expect(env.emulator.recordings.filter((r) => r.callId === callId)).toEqual([]);
  });

  it('fail on a completed-in-response action: the response says failed, the effect does not happen, no callback', async () => {
    const { callId, memberId } = groupCall(env.emulator, env.bot);
    env.emulator.faults.nextOperation('muteParticipant', { fail: forbidden });
    env.emulator.faults.nextOperation('updateRecordingStatus', { fail: forbidden });
    const mute = await act(env.emulator, callId, `participants/${memberId}/mute`, { clientContext: 'm' });
    expect(mute.status).toBe(200);
    expect(mute.body).toMatchObject({ status: 'failed', clientContext: 'm', resultInfo: forbidden });
    const status = await act(env.emulator, callId, 'updateRecordingStatus', { status: 'recording' });
    expect(status.body).toMatchObject({ '@odata.type': '#microsoft.graph.updateRecordingStatusOperation', status: 'failed', resultInfo: forbidden });
    await env.emulator.idle();
    expect(env.bot.about(callId)).toEqual([]);
    expect(env.emulator.getCall(callId)?.participants.find((p) => p.id === memberId)?.isMuted).toBe(false);
  });

  it('neverComplete: the operation stays running and no callback ever comes', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    env.emulator.faults.nextOperation('sendDtmfTones', { neverComplete: true });
    env.emulator.faults.nextOperation('unmute', { neverComplete: true });
    const dtmf = await act(env.emulator, callId, 'sendDtmfTones', { tones: ['tone5'] });
    const unmute = await act(env.emulator, callId, 'unmute', {});
    expect(dtmf.body.status).toBe('running');
    expect(unmute.body.status).toBe('running');
    await env.emulator.idle();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(env.bot.about(callId)).toEqual([]);
    expect(env.emulator.getCall(callId)?.operations.map((op) => op.status)).toEqual(['running', 'running']);
  });

  it('duplicate and pascalCase: the completion is sent twice, capitalised', async () => {
    const { callId, memberId } = groupCall(env.emulator, env.bot);
    const start = env.emulator.deliveries.length;
    env.emulator.faults.nextOperation('startHoldMusic', { duplicate: true, pascalCase: true });
    const answer = await act(env.emulator, callId, `participants/${memberId}/startHoldMusic`, {});
    expect(answer.status).toBe(202);
    await env.emulator.idle();
    expect(env.emulator.deliveries.slice(start).map((d) => [d.kind, d.duplicate])).toEqual([
      ['operation', false],
      ['operation', true],
    ]);
    expect(env.bot.received).toHaveLength(2);
    expect(env.bot.received[0]?.body).toEqual(env.bot.received[1]?.body);
    expect(env.bot.received[0]?.body.value[0]).toMatchObject({ changeType: 'Deleted', resourceData: { status: 'Completed' } });
  });

  it('duplicate on mute: the roster update is sent twice', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    env.emulator.faults.nextOperation('mute', { duplicate: true });
    await act(env.emulator, callId, 'mute', {});
    await env.emulator.idle();
    expect(env.bot.received.map((r) => r.body.value[0]?.resourceUrl)).toEqual([`/communications/calls/${callId}/participants`, `/communications/calls/${callId}/participants`]);
  });

  it('overtake: the completion is delivered and answered before the response', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    env.emulator.faults.nextOperation('recordResponse', { overtake: true });
    const answer = await act(env.emulator, callId, 'recordResponse', { clientContext: 'fast' });
    expect(env.bot.received).toHaveLength(1);
    expect(env.emulator.deliveries.at(-1)?.state).toBe('delivered');
    expect(answer.body).toMatchObject({ status: 'running', clientContext: 'fast' });
    expect(env.bot.received[0]?.body.value[0]?.resourceData).toMatchObject({ id: answer.body.id, status: 'completed', clientContext: 'fast' });
    await env.emulator.idle();
    expect(env.bot.received).toHaveLength(1);
  });

  it('overtake on mute: the roster update arrives before the response', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    env.emulator.faults.nextOperation('mute', { overtake: true });
    await act(env.emulator, callId, 'mute', {});
    expect(env.bot.received.map((r) => r.body.value[0]?.resourceUrl)).toEqual([`/communications/calls/${callId}/participants`]);
  });

  it('otherIdForm: notification paths and resourceData ids in upper case without dashes; the response keeps the dashed form', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    env.emulator.faults.nextOperation('playPrompt', { otherIdForm: true });
    const answer = await act(env.emulator, callId, 'playPrompt', { prompts: [PROMPT] });
    const opId = String(answer.body.id);
    expect(opId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(answer.location).toBe(`${env.emulator.url}v1.0/communications/calls/${callId}/operations/${opId}`);
    await env.emulator.idle();
    const path = `/communications/calls/${compact(callId)}/operations/${compact(opId)}`;
    expect(env.bot.received[0]?.body.value[0]).toMatchObject({
      resourceUrl: path,
      resource: `/app/calls/${compact(callId)}/operations/${compact(opId)}`,
      resourceData: { '@odata.id': path, id: compact(opId), status: 'completed' },
    });
  });

  it('otherIdForm on hangUp: the call notifications name the call in the other form', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    env.emulator.faults.nextOperation('hangUp', { otherIdForm: true });
    expect((await request(env.emulator, 'DELETE', `v1.0/communications/calls/${callId}`)).status).toBe(204);
    await env.emulator.idle();
    const notifications = env.bot.notifications();
    expect(notifications.map((n) => [n.changeType, n.resourceUrl, (n.resourceData as JsonObject).id])).toEqual([
      ['updated', `/communications/calls/${compact(callId)}`, compact(callId)],
      ['deleted', `/communications/calls/${compact(callId)}`, compact(callId)],
    ]);
  });

  it('httpError: the action is answered with a Graph error (and Retry-After) and nothing starts', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    env.emulator.faults.nextOperation('playPrompt', { httpError: { status: 403, message: 'Not allowed.' } });
    const error = await client
      .api(`/communications/calls/${callId}/playPrompt`)
      .post({ prompts: [PROMPT] })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ statusCode: 403, code: 'Forbidden', message: 'Not allowed.' });
    env.emulator.faults.nextOperation('keepAlive', { httpError: { status: 503, retryAfterSeconds: 7 } });
    const keepAlive = await request(env.emulator, 'POST', `v1.0/communications/calls/${callId}/keepAlive`);
    expect(keepAlive.status).toBe(503);
    expect(keepAlive.headers.get('retry-after')).toBe('7');
    expect(keepAlive.body).toMatchObject({ error: { code: 'ServiceUnavailable' } });
    await env.emulator.idle();
    expect(env.emulator.getCall(callId)?.operations).toEqual([]);
    expect(env.bot.about(callId)).toEqual([]);
  });

  it('httpError 429 once: the Graph client sends the action again and it succeeds', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    env.emulator.faults.nextOperation('sendDtmfTones', { httpError: { status: 429, retryAfterSeconds: 0 } });
    const response = (await client.api(`/communications/calls/${callId}/sendDtmfTones`).responseType(ResponseType.RAW).post({ tones: ['tone1'], clientContext: 'again' })) as Response;
    expect(response.status).toBe(200);
    expect(log.filter((line) => line.startsWith('POST') && line.endsWith('/sendDtmfTones'))).toHaveLength(2);
    expect(env.emulator.faults.pendingOperations('sendDtmfTones')).toBe(0);
    await env.emulator.idle();
    expect(env.emulator.getCall(callId)?.operations.map((op) => op.clientContext)).toEqual(['again']);
  });

  it('httpError on hangUp and removeParticipant: the call and the roster stay as they were', async () => {
    const { callId, memberId } = groupCall(env.emulator, env.bot);
    env.emulator.faults.nextOperation('hangUp', { httpError: { status: 500 } });
    env.emulator.faults.nextOperation('removeParticipant', { httpError: { status: 409, code: 'Conflict' } });
    expect((await request(env.emulator, 'DELETE', `v1.0/communications/calls/${callId}`)).status).toBe(500);
    expect((await request(env.emulator, 'DELETE', `v1.0/communications/calls/${callId}/participants/${memberId}`)).status).toBe(409);
    await env.emulator.idle();
    expect(env.emulator.getCall(callId)?.state).toBe('established');
    expect(env.emulator.getCall(callId)?.participants).toHaveLength(2);
    expect(env.bot.about(callId)).toEqual([]);
  });

  it('overtake and neverComplete on removeParticipant and hangUp', async () => {
    const { callId, memberId } = groupCall(env.emulator, env.bot);
    env.emulator.faults.nextOperation('removeParticipant', { overtake: true });
    await request(env.emulator, 'DELETE', `v1.0/communications/calls/${callId}/participants/${memberId}`);
    expect(env.bot.received.map((r) => r.body.value[0]?.changeType)).toEqual(['deleted']);
    env.emulator.faults.nextOperation('hangUp', { overtake: true });
    await request(env.emulator, 'DELETE', `v1.0/communications/calls/${callId}`);
    expect(env.bot.received.map((r) => r.body.value[0]?.changeType)).toEqual(['deleted', 'updated', 'deleted']);
    expect(env.emulator.getCall(callId)?.state).toBe('terminated');

    env.bot.reset();
    const second = groupCall(env.emulator, env.bot);
    env.emulator.faults.nextOperation('removeParticipant', { neverComplete: true });
    env.emulator.faults.nextOperation('hangUp', { neverComplete: true });
    expect((await request(env.emulator, 'DELETE', `v1.0/communications/calls/${second.callId}/participants/${second.memberId}`)).status).toBe(204);
    expect(env.emulator.getCall(second.callId)?.participants).toHaveLength(1);
    expect((await request(env.emulator, 'DELETE', `v1.0/communications/calls/${second.callId}`)).status).toBe(204);
    await env.emulator.idle();
    expect(env.emulator.getCall(second.callId)?.state).toBe('terminated');
    expect(env.bot.about(second.callId)).toEqual([]);
  });

  it('latencyMs delays the completion; scripts queue per action and clear() drops them', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    env.emulator.faults.nextOperation('playPrompt', { latencyMs: 80 });
    const started = Date.now();
    await act(env.emulator, callId, 'playPrompt', { prompts: [PROMPT] });
    await env.emulator.idle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(80);

    env.emulator.faults.nextOperation('playPrompt', { fail: forbidden }, 2).nextOperation('mute', { fail: forbidden });
    expect(env.emulator.faults.pendingOperations('playPrompt')).toBe(2);
    expect(env.emulator.faults.pendingOperations('mute')).toBe(1);
    expect((await act(env.emulator, callId, 'subscribeToTone', {})).body.status).toBe('completed');
    expect(env.emulator.faults.pendingOperations('playPrompt')).toBe(2);
    await act(env.emulator, callId, 'playPrompt', { prompts: [PROMPT] });
    expect(env.emulator.faults.pendingOperations('playPrompt')).toBe(1);
    env.emulator.faults.clear();
    expect(env.emulator.faults.pendingOperations('playPrompt')).toBe(0);
    expect((await act(env.emulator, callId, 'mute', {})).body.status).toBe('completed');
    await env.emulator.idle();
  });

  it('standing callbacks({ otherIdForm }) applies to every callback until cleared', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    env.emulator.faults.callbacks({ otherIdForm: true });
    const answer = await act(env.emulator, callId, 'sendDtmfTones', { tones: ['tone2'] });
    await env.emulator.idle();
    expect(env.bot.received[0]?.body.value[0]?.resourceUrl).toBe(`/communications/calls/${compact(callId)}/operations/${compact(String(answer.body.id))}`);
    env.emulator.faults.clear();
    const again = await act(env.emulator, callId, 'sendDtmfTones', { tones: ['tone3'] });
    await env.emulator.idle();
    expect(env.bot.received[1]?.body.value[0]?.resourceUrl).toBe(`/communications/calls/${callId}/operations/${String(again.body.id)}`);
  });
});
