import { describe, it, expect } from '@jest/globals';
import { StoreError, CallingBot, MemoryCallStore, type CallingBot as Bot } from '@graph-comms/core';
import { botsWithFakeGraph } from '../../../test/helpers/bots.js';
import type { Answer, Received } from '../../../test/helpers/fake-graph.js';
import { recordEvents } from '../../../test/helpers/recorder.js';
import { callNotification, capturingLogger, established, incomingCall, keepAlivesOf, sleep, terminated, waitFor } from './helpers/calls.js';

// Every bound below follows from the schedule, not from how fast the machine is: a call's next
// keepAlive is due one interval after the previous one was claimed, so a window of W ms holds at
// most W / INTERVAL + 1 of them per call; the lower bounds are a fraction of what is expected.
const INTERVAL = 60;
const suite = botsWithFakeGraph({ keepAliveIntervalMs: INTERVAL });
const OK: Answer = { status: 200 };
let n = 0;
const newCallId = () => `${String(++n).padStart(8, '0')}-aaaa-4bbb-8ccc-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;

/** The keepAlives the bot meant to send: the Graph client's own retries (`Retry-Attempt`) left out. */
const sends = (callId?: string): Received[] => keepAlivesOf(suite.graph, callId).filter((r) => r.headers['retry-attempt'] === undefined);

function answerKeepAlives(answer: (request: Received) => Answer = () => OK): void {
  suite.graph.script = (request) => (request.path.endsWith('/keepAlive') ? answer(request) : { status: 202 });
}

async function establish(bot: Bot, callId: string): Promise<void> {
  await bot.processNotifications(callNotification(callId, 'updated', 'establishing'));
  await bot.processNotifications(established(callId));
}

describe('keepAlive', () => {
  it('sends POST .../keepAlive, without a body, about every interval once the call is established, and none before', async () => {
    answerKeepAlives();
    const bot = suite.newBot();
    const call = newCallId();
    await bot.processNotifications(incomingCall(call));
    await bot.processNotifications(callNotification(call, 'updated', 'establishing'));
    await sleep(INTERVAL * 5);
    expect(sends(call).length).toBe(0);

    const start = Date.now();
    await bot.processNotifications(established(call));
    await sleep(1000);
    const count = sends(call).length;
    const window = Date.now() - start;
    expect(count).toBeGreaterThanOrEqual(3);
    expect(count).toBeLessThanOrEqual(Math.floor(window / INTERVAL) + 1);
    for (const r of sends(call)) {
      expect([r.method, r.path, r.body]).toEqual(['POST', `/v1.0/communications/calls/${call}/keepAlive`, undefined]);
    }
  });

  it('takes at least one interval before the first keepAlive, and at least n intervals for n of them', async () => {
    answerKeepAlives();
    const bot = suite.newBot();
    const call = newCallId();
    const start = Date.now();
    await establish(bot, call);
    await waitFor(() => sends(call).length >= 5, 10_000, 'five keepAlives');
    expect(Date.now() - start).toBeGreaterThanOrEqual(5 * INTERVAL);
  });

  it('sends none after the call is terminated', async () => {
    answerKeepAlives();
    const bot = suite.newBot();
    const call = newCallId();
    await establish(bot, call);
    await waitFor(() => sends(call).length >= 2, 5000, 'two keepAlives');
    const atEnd = sends(call).length;
    await bot.processNotifications(terminated(call));
    await sleep(INTERVAL * 2); // one may have been under way
    const settled = sends(call).length;
    expect(settled - atEnd).toBeLessThanOrEqual(1);
    await sleep(INTERVAL * 8);
    expect(sends(call).length).toBe(settled);
  });

  it('keeps each call on its own schedule', async () => {
    answerKeepAlives();
    const bot = suite.newBot();
    const [ended, going] = [newCallId(), newCallId()];
    await establish(bot, ended);
    await establish(bot, going);
    await waitFor(() => sends(ended).length >= 1, 5000, 'a keepAlive');
    await bot.processNotifications(terminated(ended));
    await sleep(INTERVAL * 2);
    const endedCount = sends(ended).length;
    const before = sends(going).length;
    await sleep(INTERVAL * 8);
    expect(sends(ended).length).toBe(endedCount);
    expect(sends(going).length - before).toBeGreaterThanOrEqual(2);
  });

  it('sends none with keepAliveIntervalMs: false', async () => {
    answerKeepAlives();
    const bot = suite.newBot({ keepAliveIntervalMs: false });
    const call = newCallId();
    await establish(bot, call);
    await sleep(INTERVAL * 8);
    expect(sends(call).length).toBe(0);
  });

  it.each([[0], [-1], [Number.NaN]])('refuses keepAliveIntervalMs %p', (keepAliveIntervalMs) => {
    expect(() => new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, keepAliveIntervalMs })).toThrow(TypeError);
  });

  it('ends the call locally when keepAlive answers 404, and stops', async () => {
    answerKeepAlives(() => ({ status: 404, body: { error: { code: 'CallNotFound', message: 'The call no longer exists' } } }));
    const bot = suite.newBot();
    const rec = recordEvents(bot);
    const call = newCallId();
    await establish(bot, call);
    await waitFor(() => rec.of('callTerminated').length > 0, 5000, 'callTerminated');
    const [ended] = rec.of('callTerminated');
    expect(ended!.callId).toBe(call);
    expect(ended!.resultInfo).toMatchObject({ code: 404 });
    const record = await bot.getCall(call);
    expect(record).toMatchObject({ state: 'terminated', resultInfo: { code: 404 } });
    expect(record!.endedAt).toEqual(expect.any(Number));
    await sleep(INTERVAL * 8);
    expect(sends(call).length).toBe(1);
    expect(rec.of('callTerminated')).toHaveLength(1);
    expect(rec.errors).toEqual([]);
  });

  it('keeps the schedule going when keepAlive answers 503', async () => {
    // Graph's client retries a 503 three times (Retry-After: 0 makes that immediate): the first
    // keepAlive fails with all four answers 503, the next ones are answered 200.
    let refusals = 0;
    answerKeepAlives(() => (refusals++ < 4 ? { status: 503, headers: { 'retry-after': '0' }, body: { error: { code: 'ServiceUnavailable', message: 'try later' } } } : OK));
    const { logger, warnings } = capturingLogger();
    const bot = suite.newBot({ logger });
    const rec = recordEvents(bot);
    const call = newCallId();
    await establish(bot, call);
    await waitFor(() => sends(call).length >= 4, 10_000, 'four keepAlives');
    expect(keepAlivesOf(suite.graph, call).filter((r) => r.headers['retry-attempt'] !== undefined)).toHaveLength(3);
    expect(rec.of('callTerminated')).toEqual([]);
    expect((await bot.getCall(call))!.state).toBe('established');
    expect(warnings().filter((w) => w.fields['callId'] === call)).toHaveLength(1);
  });

  it('two bots on one MemoryCallStore send one keepAlive per call per interval between them', async () => {
    answerKeepAlives();
    const store = new MemoryCallStore();
    const [a, b] = [suite.newBot({ store }), suite.newBot({ store })];
    const calls = [newCallId(), newCallId(), newCallId(), newCallId()];
    // Each call's notifications reach one bot or the other, and the second hears some of them again.
    await establish(a, calls[0]!);
    await establish(b, calls[1]!);
    await establish(a, calls[2]!);
    await b.processNotifications(established(calls[2]!));
    await a.processNotifications(callNotification(calls[3]!, 'updated', 'establishing'));
    await b.processNotifications(established(calls[3]!));

    await sleep(INTERVAL * 2);
    const before = calls.map((c) => sends(c).length);
    const start = Date.now();
    await sleep(1200);
    const after = calls.map((c) => sends(c).length);
    const window = Date.now() - start;
    for (let i = 0; i < calls.length; i++) {
      const inWindow = after[i]! - before[i]!;
      expect(inWindow).toBeGreaterThanOrEqual(3);
      // One per interval, plus one of slack for a keepAlive under way at either edge of the window.
      expect(inWindow).toBeLessThanOrEqual(Math.floor(window / INTERVAL) + 2);
    }
  });

  // A live call's record can leave the store (evicted beyond maxCalls, or idle past idleTimeoutMs,
  // as a long quiet call does) while its keepAlives go on from the store's schedule. Its end
  // must still take it off the schedule, or Graph gets a keepAlive for a dead call every interval.
  it('stops the keepAlives of a call whose record the store dropped while it was live, once it ends', async () => {
    answerKeepAlives();
    const bot = suite.newBot({ store: new MemoryCallStore({ maxCalls: 1 }) });
    const [dropped, other] = [newCallId(), newCallId()];
    await establish(bot, dropped);
    await establish(bot, other); // the store now holds only this one
    expect(await bot.getCall(dropped)).toBeUndefined();
    await waitFor(() => sends(dropped).length >= 2, 5000, 'keepAlives of the dropped call');
    await bot.processNotifications(terminated(dropped));
    await sleep(INTERVAL * 2);
    const settled = sends(dropped).length;
    await sleep(INTERVAL * 8);
    expect(sends(dropped).length).toBe(settled);
  });

  it('takes a call off the schedule when keepAlive answers 404, even when its record says it ended already', async () => {
    // The schedule failed to drop the call when it ended (a store blip): the call stays on it,
    // and Graph answers its keepAlives 404 from then on.
    let blips = 1;
    const store = new (class extends MemoryCallStore {
      override cancelDeadline(key: string, dueAt?: number): Promise<void> {
        return key.includes('"ka"') && blips-- > 0 ? Promise.reject(new StoreError('blip')) : super.cancelDeadline(key, dueAt);
      }
    })();
    const bot = suite.newBot({ store });
    const call = newCallId();
    let ended = false;
    answerKeepAlives((r) => (r.path.includes(call) && ended ? { status: 404, body: { error: { code: 'CallNotFound', message: 'gone' } } } : OK));
    const errors = recordEvents(bot).errors;
    await establish(bot, call);
    // The end is acknowledged (the blip is reported, not answered 503: nothing else is lost to it).
    await bot.processNotifications(terminated(call));
    expect(errors.map((e) => e.source)).toEqual(['store']);
    ended = true;
    const atEnd = sends(call).length;
    await waitFor(() => sends(call).length > atEnd, 5000, 'a keepAlive answered 404');
    await sleep(INTERVAL * 2);
    const settled = sends(call).length;
    await sleep(INTERVAL * 8);
    expect(sends(call).length).toBe(settled);
    expect(settled - atEnd).toBeLessThanOrEqual(2); // the first answered 404, and one that may have been under way
  });
});
