/** The keepAlive deadline, and the hang-up sequence. */
import { describe, it, expect } from '@jest/globals';
import { callStates, lastCallData, request, until, useEmulator, user } from './helpers.js';
import { act } from './action-helpers.js';

describe('keepAlive deadline and hang-up', () => {
  const env = useEmulator({ keepAliveTimeoutMs: 300, answerTimeoutMs: 2000 }, 'resetBot');

  const ended = (callId: string) => () => env.emulator.getCall(callId)?.state === 'terminated';

  it('an established call that hears no keepAlive for keepAliveTimeoutMs ends: deleted terminated 408/8537; keepAlive then is 404', async () => {
    const call = env.emulator.createCall({ callbackUri: env.bot.url(), participants: [user('p')] });
    const started = Date.now();
    await until(ended(call.id), 2000, 'the keepAlive deadline');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await env.emulator.idle();
    expect(callStates(env.bot, call.id)).toEqual([['deleted', 'terminated']]);
    expect(lastCallData(env.bot, call.id)?.resultInfo).toEqual({ '@odata.type': '#microsoft.graph.resultInfo', code: 408, subcode: 8537, message: 'Keep Alive timeout, cleaned up inactive call.' });
    expect(await act(env.emulator, call.id, 'keepAlive')).toMatchObject({ status: 404, body: { error: { code: 'itemNotFound' } } });
  });

  it('each keepAlive starts the clock again', async () => {
    const call = env.emulator.createCall({ callbackUri: env.bot.url(), participants: [user('p')] });
    for (let i = 0; i < 5; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await act(env.emulator, call.id, 'keepAlive')).status).toBe(200);
    }
    // 750 ms in, well past one timeout, it is still up; then silence ends it.
    expect(env.emulator.getCall(call.id)?.state).toBe('established');
    await until(ended(call.id), 2000, 'the keepAlive deadline');
    expect(env.emulator.getCall(call.id)?.resultInfo).toMatchObject({ code: 408, subcode: 8537 });
  });

  it('created and answered calls are watched once established; an incoming call waits for its answer, not for keepAlive', async () => {
    const created = (await request(env.emulator, 'POST', 'v1.0/communications/calls', { callbackUri: env.bot.url(), targets: [{ identity: user('c') }] })).body as { id: string };
    const incoming = env.emulator.placeIncomingCall({ callbackUri: env.bot.url() });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(env.emulator.getCall(incoming.id)?.state).toBe('incoming');
    await act(env.emulator, incoming.id, 'answer', { callbackUri: env.bot.url(), acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } });
    await until(ended(created.id), 2000, 'the created call to time out');
    await until(ended(incoming.id), 2000, 'the answered call to time out');
    for (const id of [created.id, incoming.id]) expect(env.emulator.getCall(id)?.resultInfo).toMatchObject({ code: 408, subcode: 8537 });
    await env.emulator.idle();
  });

  it('hang-up: DELETE → 204, updated terminating, deleted terminated 200/5001; the keepAlive deadline no longer fires', async () => {
    const call = env.emulator.createCall({ callbackUri: env.bot.url(), participants: [user('p')] });
    const response = await request(env.emulator, 'DELETE', `v1.0/communications/calls/${call.id}`);
    expect(response).toMatchObject({ status: 204, body: undefined });
    await env.emulator.idle();
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(callStates(env.bot, call.id)).toEqual([
      ['updated', 'terminating'],
      ['deleted', 'terminated'],
    ]);
    expect(lastCallData(env.bot, call.id)?.resultInfo).toEqual({ '@odata.type': '#microsoft.graph.resultInfo', code: 200, subcode: 5001, message: 'The conversation has ended.' });
    expect(env.emulator.getCall(call.id)?.resultInfo).toMatchObject({ code: 200, subcode: 5001 });
    expect((await act(env.emulator, call.id, 'keepAlive')).status).toBe(404);
  });

  it('endCall(id, resultInfo) still ends a call from Graph\'s side with terminating then terminated', async () => {
    const call = env.emulator.placeIncomingCall({ callbackUri: env.bot.url() });
    expect(env.emulator.endCall(call.id, { code: 410, subcode: 301005, message: 'Media connectivity failure.' })).toBe(true);
    await env.emulator.idle();
    expect(callStates(env.bot, call.id)).toEqual([
      ['created', 'incoming'],
      ['updated', 'terminating'],
      ['deleted', 'terminated'],
    ]);
    expect(lastCallData(env.bot, call.id)?.resultInfo).toMatchObject({ code: 410, subcode: 301005 });
    // The answer deadline was cancelled with the call: no second ending.
    expect(env.emulator.endCall(call.id)).toBe(false);
  });
});
