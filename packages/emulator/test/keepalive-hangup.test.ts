/** The keepAlive deadline, and the hang-up sequence. */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { GraphEmulator } from '../src/index.js';
import { TestBot, callStates, lastCallData, request, until, user } from './helpers.js';
import { act } from './action-helpers.js';

describe('keepAlive deadline and hang-up', () => {
  let emulator: GraphEmulator;
  let bot: TestBot;

  beforeAll(async () => {
    emulator = await GraphEmulator.start({ keepAliveTimeoutMs: 300, answerTimeoutMs: 2000 });
    bot = await TestBot.start();
  });
  afterAll(async () => {
    await emulator.close();
    await bot.close();
  });
  beforeEach(() => bot.reset());

  const ended = (callId: string) => () => emulator.getCall(callId)?.state === 'terminated';

  it('an established call that hears no keepAlive for keepAliveTimeoutMs ends: deleted terminated 408/8537; keepAlive then is 404', async () => {
    const call = emulator.createCall({ callbackUri: bot.url(), participants: [user('p')] });
    const started = Date.now();
    await until(ended(call.id), 2000, 'the keepAlive deadline');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await emulator.idle();
    expect(callStates(bot, call.id)).toEqual([['deleted', 'terminated']]);
    expect(lastCallData(bot, call.id)?.resultInfo).toEqual({ '@odata.type': '#microsoft.graph.resultInfo', code: 408, subcode: 8537, message: 'Keep Alive timeout, cleaned up inactive call.' });
    expect(await act(emulator, call.id, 'keepAlive')).toMatchObject({ status: 404, body: { error: { code: 'itemNotFound' } } });
  });

  it('each keepAlive starts the clock again', async () => {
    const call = emulator.createCall({ callbackUri: bot.url(), participants: [user('p')] });
    for (let i = 0; i < 5; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await act(emulator, call.id, 'keepAlive')).status).toBe(200);
    }
    // 750 ms in, well past one timeout, it is still up; then silence ends it.
    expect(emulator.getCall(call.id)?.state).toBe('established');
    await until(ended(call.id), 2000, 'the keepAlive deadline');
    expect(emulator.getCall(call.id)?.resultInfo).toMatchObject({ code: 408, subcode: 8537 });
  });

  it('created and answered calls are watched once established; an incoming call waits for its answer, not for keepAlive', async () => {
    const created = (await request(emulator, 'POST', 'v1.0/communications/calls', { callbackUri: bot.url(), targets: [{ identity: user('c') }] })).body as { id: string };
    const incoming = emulator.placeIncomingCall({ callbackUri: bot.url() });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(emulator.getCall(incoming.id)?.state).toBe('incoming');
    await act(emulator, incoming.id, 'answer', { callbackUri: bot.url(), acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } });
    await until(ended(created.id), 2000, 'the created call to time out');
    await until(ended(incoming.id), 2000, 'the answered call to time out');
    for (const id of [created.id, incoming.id]) expect(emulator.getCall(id)?.resultInfo).toMatchObject({ code: 408, subcode: 8537 });
    await emulator.idle();
  });

  it('hang-up: DELETE → 204, updated terminating, deleted terminated 200/5001; the keepAlive deadline no longer fires', async () => {
    const call = emulator.createCall({ callbackUri: bot.url(), participants: [user('p')] });
    const response = await request(emulator, 'DELETE', `v1.0/communications/calls/${call.id}`);
    expect(response).toMatchObject({ status: 204, body: undefined });
    await emulator.idle();
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(callStates(bot, call.id)).toEqual([
      ['updated', 'terminating'],
      ['deleted', 'terminated'],
    ]);
    expect(lastCallData(bot, call.id)?.resultInfo).toEqual({ '@odata.type': '#microsoft.graph.resultInfo', code: 200, subcode: 5001, message: 'The conversation has ended.' });
    expect(emulator.getCall(call.id)?.resultInfo).toMatchObject({ code: 200, subcode: 5001 });
    expect((await act(emulator, call.id, 'keepAlive')).status).toBe(404);
  });

  it('endCall(id, resultInfo) still ends a call from Graph\'s side with terminating then terminated', async () => {
    const call = emulator.placeIncomingCall({ callbackUri: bot.url() });
    expect(emulator.endCall(call.id, { code: 410, subcode: 301005, message: 'Media connectivity failure.' })).toBe(true);
    await emulator.idle();
    expect(callStates(bot, call.id)).toEqual([
      ['created', 'incoming'],
      ['updated', 'terminating'],
      ['deleted', 'terminated'],
    ]);
    expect(lastCallData(bot, call.id)?.resultInfo).toMatchObject({ code: 410, subcode: 301005 });
    // The answer deadline was cancelled with the call: no second ending.
    expect(emulator.endCall(call.id)).toBe(false);
  });
});
