/** DTMF tones pressed by a participant (after subscribeToTone), and call transfer. */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { GraphEmulator, type JsonObject } from '../src/index.js';
import { TestBot, callStates, lastCallData, request, user } from './helpers.js';
import { act, groupCall } from './action-helpers.js';

describe('tones', () => {
  let emulator: GraphEmulator;
  let bot: TestBot;

  beforeAll(async () => {
    emulator = await GraphEmulator.start();
    bot = await TestBot.start();
  });
  afterAll(async () => {
    await emulator.close();
    await bot.close();
  });
  beforeEach(() => {
    bot.reset();
    emulator.faults.clear();
  });

  it('before subscribeToTone nothing is sent; after it, updated call notifications with toneInfo, sequenceId 1, 2, 3', async () => {
    const { callId } = groupCall(emulator, bot);
    expect(emulator.pressTone(callId, 'tone1')).toBeNull();
    await emulator.idle();
    expect(bot.about(callId)).toEqual([]);

    expect((await act(emulator, callId, 'subscribeToTone', { clientContext: 'tones' })).body.status).toBe('completed');
    expect(['tone1', 'star', 'pound'].map((tone) => emulator.pressTone(callId, tone))).toEqual([1, 2, 3]);
    await emulator.idle();
    const notes = bot.about(callId);
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
    const other = groupCall(emulator, bot);
    await act(emulator, other.callId, 'subscribeToTone', {});
    expect(emulator.pressTone(other.callId, 'd')).toBe(1);
    expect(emulator.pressTone(callId, 'flash')).toBe(4);
    await emulator.idle();
  });

  it('a failed subscribeToTone subscribes nothing; unknown tones throw; unknown or ended calls give null', async () => {
    const { callId } = groupCall(emulator, bot);
    emulator.faults.nextOperation('subscribeToTone', { fail: { code: 500, subcode: 9999, message: 'no' } });
    expect((await act(emulator, callId, 'subscribeToTone', {})).body.status).toBe('failed');
    expect(emulator.pressTone(callId, 'tone5')).toBeNull();
    expect(() => emulator.pressTone(callId, 'tone10')).toThrow(RangeError);
    expect(emulator.pressTone('no-such-call', 'tone5')).toBeNull();
    await act(emulator, callId, 'subscribeToTone', {});
    emulator.endCall(callId);
    expect(emulator.pressTone(callId, 'tone5')).toBeNull();
    await emulator.idle();
    expect(bot.about(callId).every((n) => (n.resourceData as JsonObject).toneInfo === undefined)).toBe(true);
  });
});

describe('transfer', () => {
  let emulator: GraphEmulator;
  let bot: TestBot;

  beforeAll(async () => {
    emulator = await GraphEmulator.start({ operationDelayMs: 10 });
    bot = await TestBot.start();
  });
  afterAll(async () => {
    await emulator.close();
    await bot.close();
  });
  beforeEach(() => {
    bot.reset();
    emulator.faults.clear();
  });

  const target = { endpointType: 'default', identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f', displayName: 'Heidi Steen' } } };
  const p2p = () => emulator.createCall({ callbackUri: bot.url(), participants: [user('peer')] }).id;

  it('202 with no body, then transferring, transferAccepted, and deleted terminated 0/7015 GracefulTransferCompleted', async () => {
    const callId = p2p();
    const transfer = await act(emulator, callId, 'transfer', { transferTarget: target });
    expect(transfer).toMatchObject({ status: 202, location: null, body: {} });
    await emulator.idle();
    expect(callStates(bot, callId)).toEqual([
      ['updated', 'transferring'],
      ['updated', 'transferAccepted'],
      ['deleted', 'terminated'],
    ]);
    expect(lastCallData(bot, callId)?.resultInfo).toEqual({ '@odata.type': '#microsoft.graph.resultInfo', code: 0, subcode: 7015, message: 'GracefulTransferCompleted' });
    expect((await request(emulator, 'GET', `v1.0/communications/calls/${callId}`)).status).toBe(404);
  });

  it('a failing transfer (fail script): transferring, then back to established with that resultInfo', async () => {
    const callId = p2p();
    emulator.faults.nextOperation('transfer', { fail: { code: 500, subcode: 7000, message: 'Transfer failed.' } });
    expect((await act(emulator, callId, 'transfer', { transferTarget: target, clientContext: 'c' })).status).toBe(202);
    await emulator.idle();
    expect(callStates(bot, callId)).toEqual([
      ['updated', 'transferring'],
      ['updated', 'established'],
    ]);
    expect(lastCallData(bot, callId)?.resultInfo).toMatchObject({ code: 500, subcode: 7000, message: 'Transfer failed.' });
    expect(emulator.getCall(callId)?.state).toBe('established');
    // The call goes on, and can be transferred again.
    expect((await act(emulator, callId, 'transfer', { transferTarget: target })).status).toBe(202);
    await emulator.idle();
    expect(emulator.getCall(callId)?.state).toBe('terminated');
  });

  it('refuses a missing or bad transferTarget, a group call without transferee, PSTN from a non-instance bot; 202 with transferee', async () => {
    const callId = p2p();
    for (const body of [{}, { transferTarget: {} }, { transferTarget: { identity: { phone: { id: '+12345678901' } } } }, { transferTarget: target, transferee: {} }]) {
      expect([JSON.stringify(body), (await act(emulator, callId, 'transfer', body)).status]).toEqual([JSON.stringify(body), 400]);
    }
    const { callId: group, memberId } = groupCall(emulator, bot);
    expect((await act(emulator, group, 'transfer', { transferTarget: target })).status).toBe(400);
    emulator.faults.nextOperation('transfer', { neverComplete: true });
    expect((await act(emulator, group, 'transfer', { transferTarget: target, transferee: { participantId: memberId } })).status).toBe(202);
    // Not while transferring.
    expect((await act(emulator, group, 'transfer', { transferTarget: target, transferee: { identity: user('member') } })).status).toBe(400);
    emulator.endCall(group);
    await emulator.idle();
    expect(emulator.getCall(callId)?.state).toBe('established');
  });

  it('neverComplete leaves the call transferring; hanging up then ends it normally', async () => {
    const callId = p2p();
    emulator.faults.nextOperation('transfer', { neverComplete: true });
    await act(emulator, callId, 'transfer', { transferTarget: target });
    await emulator.idle();
    expect(emulator.getCall(callId)?.state).toBe('transferring');
    expect((await request(emulator, 'DELETE', `v1.0/communications/calls/${callId}`)).status).toBe(204);
    await emulator.idle();
    expect(callStates(bot, callId)).toEqual([
      ['updated', 'transferring'],
      ['updated', 'terminating'],
      ['deleted', 'terminated'],
    ]);
  });
});
