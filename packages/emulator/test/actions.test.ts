/** Every call action answers as its v1.0 page shows, and completes as the page's notification shows. */
import { describe, it, expect } from '@jest/globals';
import { GraphEmulator, type JsonObject } from '../src/index.js';
import { request, useEmulator } from './helpers.js';
import { PROMPT, aboutOperation, act, groupCall } from './action-helpers.js';

describe('call actions', () => {
  const env = useEmulator({ operationDelayMs: 5 });

  // One row per action that completes by callback: path, body, status, operation type, fields of the outcome.
  const running: Array<[string, string, JsonObject, number, string, JsonObject]> = [
    ['playPrompt', 'playPrompt', { prompts: [PROMPT] }, 200, 'playPromptOperation', { resultInfo: { code: 200, subcode: 0, message: 'Action completed successfully.' } }],
    ['recordResponse', 'recordResponse', { prompts: [PROMPT], maxRecordDurationInSeconds: 10, stopTones: ['#'] }, 200, 'recordOperation', {
      resultInfo: { code: 200, subcode: 8515, message: 'Action completed, max record duration reached.' },
      completionReason: 'maxRecordDurationReached',
    }],
    ['sendDtmfTones', 'sendDtmfTones', { tones: ['tone1', 'star', 'pound'], delayBetweenTonesMs: 100 }, 200, 'sendDtmfTonesOperation', { completionReason: 'completedSuccessfully' }],
    ['startHoldMusic', 'participants/{member}/startHoldMusic', { customPrompt: PROMPT }, 202, 'startHoldMusicOperation', { resultInfo: { code: 200, subcode: 0 } }],
    ['stopHoldMusic', 'participants/{member}/stopHoldMusic', {}, 202, 'stopHoldMusicOperation', { resultInfo: { code: 200, subcode: 0 } }],
  ];

  it.each(running)('%s: answered running with Location, completed later by a deleted notification', async (action, path, body, status, type, outcome) => {
    const { callId, memberId } = groupCall(env.emulator, env.bot);
    const answer = await act(env.emulator, callId, path.replace('{member}', memberId), { ...body, clientContext: `ctx-${action}` });
    expect(answer.status).toBe(status);
    const opId = String(answer.body.id);
    expect(answer.location).toBe(`${env.emulator.url}v1.0/communications/calls/${callId}/operations/${opId}`);
    expect(answer.body).toMatchObject({ '@odata.type': `#microsoft.graph.${type}`, status: 'running', clientContext: `ctx-${action}`, resultInfo: null });
    expect(env.emulator.getCall(callId)?.operations).toEqual([expect.objectContaining({ id: opId, action, status: 'running', clientContext: `ctx-${action}` })]);
    await env.emulator.idle();
    const notifications = aboutOperation(env.bot, callId, opId);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({
      '@odata.type': '#microsoft.graph.commsNotification',
      changeType: 'deleted',
      resource: `/app/calls/${callId}/operations/${opId}`,
      resourceUrl: `/communications/calls/${callId}/operations/${opId}`,
      resourceData: {
        '@odata.type': `#microsoft.graph.${type}`,
        '@odata.id': `/communications/calls/${callId}/operations/${opId}`,
        id: opId,
        status: 'completed',
        clientContext: `ctx-${action}`,
        ...outcome,
      },
    });
    expect(env.bot.received[0]?.body['@odata.type']).toBe('#microsoft.graph.commsNotifications');
    expect(env.emulator.getCall(callId)?.operations[0]).toMatchObject({ status: 'completed' });
    // What GET .../operations/{id} answers afterwards.
    const fetched = await request(env.emulator, 'GET', `v1.0/communications/calls/${callId}/operations/${opId}`);
    expect(fetched.body).toMatchObject({ '@odata.type': `#microsoft.graph.${type}`, id: opId, status: 'completed' });
  });

  // One row per action answered already completed: path, body, operation type.
  const completed: Array<[string, string, JsonObject, string]> = [
    ['subscribeToTone', 'subscribeToTone', {}, 'subscribeToToneOperation'],
    ['cancelMediaProcessing', 'cancelMediaProcessing', {}, 'cancelMediaProcessingOperation'],
    ['updateRecordingStatus', 'updateRecordingStatus', { status: 'recording' }, 'updateRecordingStatusOperation'],
    ['mute', 'mute', {}, 'muteParticipantOperation'],
    ['unmute', 'unmute', {}, 'unmuteParticipantOperation'],
    ['muteParticipant', 'participants/{member}/mute', {}, 'muteParticipantOperation'],
  ];

  it.each(completed)('%s: 200 with the operation already completed, and no operation callback', async (action, path, body, type) => {
    const { callId, memberId } = groupCall(env.emulator, env.bot);
    const answer = await act(env.emulator, callId, path.replace('{member}', memberId), { ...body, clientContext: `ctx-${action}` });
    expect(answer.status).toBe(200);
    const opId = String(answer.body.id);
    expect(answer.location).toBe(`${env.emulator.url}v1.0/communications/calls/${callId}/operations/${opId}`);
    expect(answer.body).toMatchObject({ '@odata.type': `#microsoft.graph.${type}`, status: 'completed', clientContext: `ctx-${action}`, resultInfo: null });
    await env.emulator.idle();
    expect(env.bot.about(callId).filter((n) => n.resourceUrl.includes('/operations/'))).toEqual([]);
    expect(env.emulator.getCall(callId)?.operations).toEqual([expect.objectContaining({ action, status: 'completed' })]);
  });

  it('mute and unmute change the bot\'s own isMuted and send a roster update with it', async () => {
    const { callId, botId } = groupCall(env.emulator, env.bot);
    const muted = await act(env.emulator, callId, 'mute', { clientContext: 'c' });
    expect(muted.body['@odata.context']).toBe(`${env.emulator.url}v1.0/$metadata#muteParticipantOperation`);
    await env.emulator.idle();
    await act(env.emulator, callId, 'unmute', {});
    await env.emulator.idle();
    const rosters = env.bot.about(callId).filter((n) => n.resourceUrl === `/communications/calls/${callId}/participants`);
    expect(rosters.map((n) => n.changeType)).toEqual(['updated', 'updated']);
    const entries = rosters.map((n) => (n.resourceData as JsonObject[])[0]);
    expect(entries.map((p) => [p?.id, p?.isMuted])).toEqual([[botId, true], [botId, false]]);
    expect(Number(entries[1]?.rosterSequenceNumber)).toBeGreaterThan(Number(entries[0]?.rosterSequenceNumber));
  });

  it('participants/{id}/mute mutes that participant: roster update, and GET shows isMuted', async () => {
    const { callId, memberId } = groupCall(env.emulator, env.bot);
    await act(env.emulator, callId, `participants/${memberId}/mute`, {});
    await env.emulator.idle();
    const roster = env.bot.about(callId).find((n) => n.resourceUrl.endsWith('/participants'));
    expect(roster?.resourceData).toEqual([expect.objectContaining({ '@odata.type': '#microsoft.graph.participant', id: memberId, isMuted: true })]);
    const fetched = await request(env.emulator, 'GET', `v1.0/communications/calls/${callId}/participants/${memberId}`);
    expect(fetched.body).toMatchObject({ id: memberId, isMuted: true });
  });

  it.each(['mute', 'startHoldMusic', 'stopHoldMusic'])('participants/{unknown}/%s: 404', async (action) => {
    const { callId } = groupCall(env.emulator, env.bot);
    const answer = await act(env.emulator, callId, `participants/nobody/${action}`, {});
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ error: { code: 'itemNotFound' } });
    expect(env.emulator.getCall(callId)?.operations).toEqual([]);
  });

  it('changeScreenSharingRole: 202 with no body and no operation', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    const response = await request(env.emulator, 'POST', `v1.0/communications/calls/${callId}/changeScreenSharingRole`, { role: 'sharer' });
    expect(response.status).toBe(202);
    expect(response.body).toBeUndefined();
    expect(response.headers.get('location')).toBeNull();
    expect(env.emulator.getCall(callId)?.operations).toEqual([]);
  });

  it('keepAlive: 200 without a body; 404 on an unknown call, on an ending call and on an ended one', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    const alive = await request(env.emulator, 'POST', `v1.0/communications/calls/${callId}/keepAlive`);
    expect(alive.status).toBe(200);
    expect(alive.body).toBeUndefined();
    expect((await request(env.emulator, 'POST', 'v1.0/communications/calls/no-such-call/keepAlive')).status).toBe(404);
    expect((await request(env.emulator, 'DELETE', `v1.0/communications/calls/${callId}`)).status).toBe(204);
    const ending = await request(env.emulator, 'POST', `v1.0/communications/calls/${callId}/keepAlive`);
    expect(ending.status).toBe(404);
    expect(ending.body).toMatchObject({ error: { code: 'itemNotFound' } });
    await env.emulator.idle();
    expect(env.emulator.getCall(callId)?.state).toBe('terminated');
    expect((await request(env.emulator, 'POST', `v1.0/communications/calls/${callId}/keepAlive`)).status).toBe(404);
  });

  it('answers on beta, on the deprecated /app/calls path, and on the namespaced microsoft.graph.sendDtmfTones segment', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    const beta = await act(env.emulator, callId, 'playPrompt', { prompts: [PROMPT] }, 'beta/communications/calls');
    expect(beta.location).toBe(`${env.emulator.url}beta/communications/calls/${callId}/operations/${String(beta.body.id)}`);
    const app = await act(env.emulator, callId, 'subscribeToTone', {}, 'v1.0/app/calls');
    expect(app.body).toMatchObject({ status: 'completed' });
    const namespaced = await act(env.emulator, callId, 'microsoft.graph.sendDtmfTones', { tones: ['tone0'] });
    expect(namespaced.status).toBe(200);
    expect(namespaced.body['@odata.type']).toBe('#microsoft.graph.sendDtmfTonesOperation');
    await env.emulator.idle();
    expect(env.emulator.getCall(callId)?.operations.map((op) => [op.action, op.status])).toEqual([
      ['playPrompt', 'completed'],
      ['subscribeToTone', 'completed'],
      ['sendDtmfTones', 'completed'],
    ]);
  });

  it('an operation still running when its call ends sends no completion', async () => {
    env.emulator.faults.clear();
    const slow = await GraphEmulator.start({ operationDelayMs: 200 });
    try {
      const { callId } = groupCall(slow, env.bot);
      const answer = await act(slow, callId, 'recordResponse', {});
      expect(slow.endCall(callId)).toBe(true);
      await slow.idle();
      expect(aboutOperation(env.bot, callId, String(answer.body.id))).toEqual([]);
      expect(env.bot.about(callId).map((n) => n.changeType)).toEqual(['updated', 'deleted']);
      expect(slow.recordings).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});
