/** DTMF tones pressed by a participant (after subscribeToTone), and call transfer. */
import { describe, it, expect } from '@jest/globals';
import type { JsonObject } from '../src/index.js';
import { callStates, lastCallData, request, useEmulator, user } from './helpers.js';
import { act, groupCall } from './action-helpers.js';

describe('tones', () => {
  const env = useEmulator();

  it('before subscribeToTone nothing is sent; after it, updated call notifications with toneInfo, sequenceId 1, 2, 3', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    expect(env.emulator.pressTone(callId, 'tone1')).toBeNull();
    await env.emulator.idle();
    expect(env.bot.about(callId)).toEqual([]);

    expect((await act(env.emulator, callId, 'subscribeToTone', { clientContext: 'tones' })).body.status).toBe('completed');
    expect(['tone1', 'star', 'pound'].map((tone) => env.emulator.pressTone(callId, tone))).toEqual([1, 2, 3]);
    await env.emulator.idle();
    const notes = env.bot.about(callId);
    expect(notes.map((n) => [n.changeType, n.resourceUrl, (n.resourceData as JsonObject).state])).toEqual([
      ['updated', `/communications/calls/${callId}`, 'established'],
      ['updated', `/communications/calls/${callId}`, 'established'],
      ['updated', `/communications/calls/${callId}`, 'established'],
    ]);
    expect(notes.map((n) => (n.resourceData as JsonObject).toneInfo)).toEqual([
      { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: 1, tone: 'tone1' },
      { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: 2, tone: 'star' },
      { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: 3, tone: 'pound' },
    ]);
    // Numbered per call.
    const other = groupCall(env.emulator, env.bot);
    await act(env.emulator, other.callId, 'subscribeToTone', {});
    expect(env.emulator.pressTone(other.callId, 'd')).toBe(1);
    expect(env.emulator.pressTone(callId, 'flash')).toBe(4);
    await env.emulator.idle();
  });

  it('a failed subscribeToTone subscribes nothing; unknown tones throw; unknown or ended calls give null', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    env.emulator.faults.nextOperation('subscribeToTone', { fail: { code: 500, subcode: 9999, message: 'no' } });
    expect((await act(env.emulator, callId, 'subscribeToTone', {})).body.status).toBe('failed');
    expect(env.emulator.pressTone(callId, 'tone5')).toBeNull();
    expect(() => env.emulator.pressTone(callId, 'tone10')).toThrow(RangeError);
    expect(env.emulator.pressTone('no-such-call', 'tone5')).toBeNull();
    await act(env.emulator, callId, 'subscribeToTone', {});
    env.emulator.endCall(callId);
    expect(env.emulator.pressTone(callId, 'tone5')).toBeNull();
    await env.emulator.idle();
    expect(env.bot.about(callId).every((n) => (n.resourceData as JsonObject).toneInfo === undefined)).toBe(true);
  });
});

describe('transfer', () => {
  const env = useEmulator({ operationDelayMs: 10 });

  const target = { endpointType: 'default', identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f', displayName: 'Heidi Steen' } } };
  const p2p = () => env.emulator.createCall({ callbackUri: env.bot.url(), participants: [user('peer')] }).id;

  it('202 with no body, then transferring, transferAccepted, and deleted terminated 0/7015 GracefulTransferCompleted', async () => {
    const callId = p2p();
    const transfer = await act(env.emulator, callId, 'transfer', { transferTarget: target });
    expect(transfer).toMatchObject({ status: 202, location: null, body: {} });
    await env.emulator.idle();
    expect(callStates(env.bot, callId)).toEqual([
      ['updated', 'transferring'],
      ['updated', 'transferAccepted'],
      ['deleted', 'terminated'],
    ]);
    expect(lastCallData(env.bot, callId)?.resultInfo).toEqual({ '@odata.type': '#microsoft.graph.resultInfo', code: 0, subcode: 7015, message: 'GracefulTransferCompleted' });
    expect((await request(env.emulator, 'GET', `v1.0/communications/calls/${callId}`)).status).toBe(404);
  });

  it('a failing transfer (fail script): transferring, then back to established with that resultInfo', async () => {
    const callId = p2p();
    env.emulator.faults.nextOperation('transfer', { fail: { code: 500, subcode: 7000, message: 'Transfer failed.' } });
    expect((await act(env.emulator, callId, 'transfer', { transferTarget: target, clientContext: 'c' })).status).toBe(202);
    await env.emulator.idle();
    expect(callStates(env.bot, callId)).toEqual([
      ['updated', 'transferring'],
      ['updated', 'established'],
    ]);
    expect(lastCallData(env.bot, callId)?.resultInfo).toMatchObject({ code: 500, subcode: 7000, message: 'Transfer failed.' });
    expect(env.emulator.getCall(callId)?.state).toBe('established');
    // The call goes on, and can be transferred again.
    expect((await act(env.emulator, callId, 'transfer', { transferTarget: target })).status).toBe(202);
    await env.emulator.idle();
    expect(env.emulator.getCall(callId)?.state).toBe('terminated');
  });

  it('refuses a missing or bad transferTarget, a group call without transferee, PSTN from a non-instance bot; 202 with transferee', async () => {
    const callId = p2p();
    for (const body of [{}, { transferTarget: {} }, { transferTarget: { identity: { phone: { id: '+12345678901' } } } }, { transferTarget: target, transferee: {} }]) {
      expect([JSON.stringify(body), (await act(env.emulator, callId, 'transfer', body)).status]).toEqual([JSON.stringify(body), 400]);
    }
    const { callId: group, memberId } = groupCall(env.emulator, env.bot);
    expect((await act(env.emulator, group, 'transfer', { transferTarget: target })).status).toBe(400);
    env.emulator.faults.nextOperation('transfer', { neverComplete: true });
    expect((await act(env.emulator, group, 'transfer', { transferTarget: target, transferee: { participantId: memberId } })).status).toBe(202);
    // Not while transferring.
    expect((await act(env.emulator, group, 'transfer', { transferTarget: target, transferee: { identity: user('member') } })).status).toBe(400);
    env.emulator.endCall(group);
    await env.emulator.idle();
    expect(env.emulator.getCall(callId)?.state).toBe('established');
  });

  it('neverComplete leaves the call transferring; hanging up then ends it normally', async () => {
    const callId = p2p();
    env.emulator.faults.nextOperation('transfer', { neverComplete: true });
    await act(env.emulator, callId, 'transfer', { transferTarget: target });
    await env.emulator.idle();
    expect(env.emulator.getCall(callId)?.state).toBe('transferring');
    expect((await request(env.emulator, 'DELETE', `v1.0/communications/calls/${callId}`)).status).toBe(204);
    await env.emulator.idle();
    expect(callStates(env.bot, callId)).toEqual([
      ['updated', 'transferring'],
      ['updated', 'terminating'],
      ['deleted', 'terminated'],
    ]);
  });
});
