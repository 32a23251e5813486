import { describe, it, expect } from '@jest/globals';
import { MemoryCallStore, type CallUpdatedEvent, type IncomingCallEvent } from '@graph-comms/core';
import { botsWithFakeGraph } from '../../../test/helpers/bots.js';
import { recordEvents } from '../../../test/helpers/recorder.js';
import { graphDoc } from './helpers/actions.js';
import { CALLBACK_URI, callbackRequest, callNotification, capturingLogger, established, incomingCall, sleep, terminated, toneNotification, waitFor } from './helpers/calls.js';

const CALL = '57dab8b1-894c-409a-b240-bd8beae78896';
const suite = botsWithFakeGraph({ callbackUri: CALLBACK_URI, keepAliveIntervalMs: false });
const newBot = suite.newBot;
const accept = () => ({ status: 202 });

// The documented states, as the public type names them: this fails to compile if the union
// gains or loses a state.
type State = NonNullable<CallUpdatedEvent['state']>;
const STATES = ['incoming', 'establishing', 'ringing', 'established', 'hold', 'transferring', 'transferAccepted', 'redirecting', 'terminating', 'terminated'] as const satisfies readonly State[];
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const statesAreTheUnion: Exactly<State, (typeof STATES)[number]> = true;

describe('call states', () => {
  it('names every documented state in the typed union', () => {
    expect(statesAreTheUnion).toBe(true);
    expect(new Set(STATES).size).toBe(10);
  });

  it.each(STATES.map((s) => [s]))('reads %s, in any casing, as the documented state', async (state) => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(callNotification(`c-${state}`, 'updated', state.toUpperCase()));
    expect(rec.of('callUpdated').map((e) => e.state)).toEqual([state]);
    expect((await bot.getCall(`c-${state}`))!.state).toBe(state);
  });

  it('keeps an undocumented state out of the state', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(established('c-odd'));
    await bot.processNotifications(callNotification('c-odd', 'updated', 'teleporting'));
    expect(rec.of('callUpdated').map((e) => e.state)).toEqual(['established']);
    expect((await bot.getCall('c-odd'))!.state).toBe('established');
  });

  it('never goes back: a late establishing or incoming after established changes nothing and fires nothing', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(incomingCall(CALL));
    await bot.processNotifications(callNotification(CALL, 'updated', 'establishing'));
    await bot.processNotifications(established(CALL));
    await waitFor(() => rec.of('incomingCall').length === 1, 2000, 'incomingCall');
    const before = rec.events.length;
    const record = await bot.getCall(CALL);
    await bot.processNotifications(callNotification(CALL, 'updated', 'establishing', { extra: 'late' }));
    await bot.processNotifications(incomingCall(CALL));
    await bot.processNotifications(callNotification(CALL, 'created', 'Incoming'));
    await sleep(20); // incomingCall is told after the acknowledgement: give it the chance to come
    expect(rec.events.length).toBe(before);
    expect((await bot.getCall(CALL))!.state).toBe('established');
    expect((await bot.getCall(CALL))!.call).toEqual(record!.call);
    expect(rec.of('incomingCall')).toHaveLength(1);
    expect(rec.of('callEstablished')).toHaveLength(1);
  });

  it('absorbs terminating and anything else after terminated', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(established(CALL));
    await bot.processNotifications(terminated(CALL));
    const before = rec.names();
    await bot.processNotifications(callNotification(CALL, 'updated', 'terminating'));
    await bot.processNotifications(established(CALL));
    await bot.processNotifications(terminated(CALL));
    await bot.processNotifications(toneNotification(CALL, 1, 'tone1'));
    expect(rec.names()).toEqual(before);
    expect((await bot.getCall(CALL))!.state).toBe('terminated');
  });

  it('lets hold and transferring go back to established', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    for (const state of ['established', 'hold', 'established', 'transferring', 'established', 'hold', 'established']) {
      await bot.processNotifications(callNotification(CALL, 'updated', state));
    }
    expect(rec.of('callUpdated').map((e) => e.state)).toEqual(['established', 'hold', 'established', 'transferring', 'established', 'hold', 'established']);
    expect(rec.of('callEstablished')).toHaveLength(1);
    expect((await bot.getCall(CALL))!.state).toBe('established');
  });
});

describe('incomingCall', () => {
  it.each([['incoming'], ['Incoming'], ['INCOMING']])('fires once for a call offered in state %s, with callId, call and receivedAt', async (state) => {
    const bot = newBot();
    const rec = recordEvents(bot);
    const before = Date.now();
    await bot.processNotifications(incomingCall(CALL, state));
    await waitFor(() => rec.of('incomingCall').length > 0, 2000, 'incomingCall');
    const after = Date.now();
    const [event] = rec.of('incomingCall');
    expect(event).toMatchObject({ callId: CALL, call: { state: 'incoming', direction: 'incoming', source: { identity: { user: { displayName: 'Caller' } } } } });
    expect(event!.receivedAt).toBeGreaterThanOrEqual(before);
    expect(event!.receivedAt).toBeLessThanOrEqual(after);
    expect(typeof event!.answer).toBe('function');
    expect(typeof event!.reject).toBe('function');
    expect(typeof event!.redirect).toBe('function');
    // A repeat of the offer, and the offer again after more of the call was heard
    await bot.processNotifications(incomingCall(CALL, state));
    await bot.processNotifications(callNotification(CALL, 'updated', 'incoming', { callChainId: 'changed' }));
    await sleep(20);
    expect(rec.of('incomingCall')).toHaveLength(1);
  });

  it('fires once when the offer is delivered again after the call moved on', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(incomingCall(CALL));
    await bot.processNotifications(callNotification(CALL, 'updated', 'establishing'));
    await bot.processNotifications(incomingCall(CALL));
    await bot.processNotifications(established(CALL));
    await bot.processNotifications(incomingCall(CALL));
    await sleep(20);
    expect(rec.of('incomingCall')).toHaveLength(1);
  });

  it('does not fire for an incoming that arrives after establishing', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(callNotification(CALL, 'updated', 'establishing'));
    await bot.processNotifications(incomingCall(CALL));
    await sleep(20);
    expect(rec.of('incomingCall')).toHaveLength(0);
    expect((await bot.getCall(CALL))!.state).toBe('establishing');
  });

  it('fires once per call when several calls are offered in one body', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
    await bot.processNotifications({ value: ids.flatMap((id) => incomingCall(id).value) });
    await bot.processNotifications({ value: ids.flatMap((id) => incomingCall(id).value) });
    await waitFor(() => rec.of('incomingCall').length >= 2, 2000, 'two incomingCall');
    await sleep(20);
    expect(rec.of('incomingCall').map((e) => e.callId).sort()).toEqual(ids);
  });

  it("answer() sends POST .../answer with the bot's callbackUri and the defaults", async () => {
    const bot = newBot();
    suite.graph.script = accept;
    const answered = new Promise<void>((resolve, reject) => bot.on('incomingCall', (e) => e.answer().then(resolve, reject)));
    await bot.processNotifications(incomingCall(CALL));
    await answered;
    expect(suite.graph.received.map((r) => [r.method, r.path, r.body])).toEqual([
      [
        'POST',
        `/v1.0/communications/calls/${CALL}/answer`,
        { callbackUri: CALLBACK_URI, acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } },
      ],
    ]);
  });

  it('reject() and redirect() send their requests', async () => {
    const bot = newBot();
    suite.graph.script = accept;
    const other = '33333333-3333-4333-8333-333333333333';
    const target = { identity: { user: { id: 'e1e2e3e4-0000-4000-8000-000000000000' } } };
    const acted: Array<Promise<void>> = [];
    bot.on('incomingCall', (e) => void acted.push(e.callId === CALL ? e.reject({ reason: 'busy' }) : e.redirect({ targets: [target], timeout: 30 })));
    await bot.processNotifications(incomingCall(CALL));
    await bot.processNotifications(incomingCall(other));
    await waitFor(() => acted.length === 2, 2000, 'both offers');
    await Promise.all(acted);
    const sent = suite.graph.received.map((r) => [r.method, r.path, r.body]);
    expect(sent).toHaveLength(2);
    expect(sent).toContainEqual(['POST', `/v1.0/communications/calls/${CALL}/reject`, { reason: 'busy', callbackUri: CALLBACK_URI }]);
    expect(sent).toContainEqual(['POST', `/v1.0/communications/calls/${other}/redirect`, { targets: [target], timeout: 30, callbackUri: CALLBACK_URI }]);
  });

  it('is told after the callback was answered 202, even to a listener that blocks', async () => {
    const bot = newBot();
    const order: string[] = [];
    let acknowledged = false;
    const seen: boolean[] = [];
    bot.on('incomingCall', () => {
      seen.push(acknowledged);
      order.push('listener start');
      const until = Date.now() + 50;
      while (Date.now() < until); // blocks the event loop
      order.push('listener end');
    });
    const response = await bot.handleRequest(callbackRequest(incomingCall(CALL)));
    acknowledged = true;
    order.push('responded');
    expect(response).toEqual({ status: 202 });
    await waitFor(() => order.includes('listener end'), 2000, 'the listener');
    expect(order).toEqual(['responded', 'listener start', 'listener end']);
    expect(seen).toEqual([true]);
  });
});

describe('the unanswered incoming call warning', () => {
  const deadline = 50;
  const settleWait = 400;

  it('logs one warning naming the call and the listener count', async () => {
    const { logger, warnings } = capturingLogger();
    const bot = newBot({ logger, answerDeadlineMs: deadline });
    bot.on('incomingCall', () => undefined);
    bot.on('incomingCall', () => undefined);
    await bot.processNotifications(incomingCall(CALL));
    await waitFor(() => warnings().length > 0, 3000, 'the warning');
    await sleep(settleWait);
    expect(warnings()).toHaveLength(1);
    const [warning] = warnings();
    expect(warning!.fields).toMatchObject({ callId: CALL, listeners: 2 });
    expect(warning!.message).toContain(CALL);
    expect(warning!.message).toContain('2 incomingCall listener');
  });

  it('says when no listener is registered', async () => {
    const { logger, warnings } = capturingLogger();
    const bot = newBot({ logger, answerDeadlineMs: deadline });
    await bot.processNotifications(incomingCall(CALL));
    await waitFor(() => warnings().length > 0, 3000, 'the warning');
    expect(warnings()[0]!.fields).toMatchObject({ callId: CALL, listeners: 0 });
    expect(warnings()[0]!.message).toContain('No incomingCall listener');
  });

  // The deadline is longer than the Graph round trip of the answer, so that the test never races it.
  it.each<[string, (e: IncomingCallEvent) => Promise<void>]>([
    ['answered', (e) => e.answer({ acceptedModalities: ['audio'] })], // the defaults are call-actions.test.ts's business
    ['rejected', (e) => e.reject()],
    ['redirected', (e) => e.redirect({ targets: [{ identity: { user: { id: 'u-1' } } }] })],
  ])('logs nothing for a call %s in time', async (_, act) => {
    const { logger, warnings } = capturingLogger();
    const bot = newBot({ logger, answerDeadlineMs: 250 });
    suite.graph.script = accept;
    const acted = new Promise<void>((resolve, reject) => bot.on('incomingCall', (e) => act(e).then(resolve, reject)));
    await bot.processNotifications(incomingCall(CALL));
    await acted;
    await sleep(250 + settleWait);
    expect(warnings()).toEqual([]);
  });

  it('logs nothing for a call another process answered (the call moved to establishing in the store)', async () => {
    const store = new MemoryCallStore();
    const { logger, warnings } = capturingLogger();
    const offered = newBot({ logger, answerDeadlineMs: deadline, store });
    const other = newBot({ store });
    await offered.processNotifications(incomingCall(CALL));
    await other.processNotifications(callNotification(CALL, 'updated', 'establishing'));
    await sleep(deadline + settleWait);
    expect(warnings()).toEqual([]);
  });

  it('logs nothing for a call that ended before the deadline', async () => {
    const { logger, warnings } = capturingLogger();
    const bot = newBot({ logger, answerDeadlineMs: deadline });
    await bot.processNotifications(incomingCall(CALL));
    await bot.processNotifications(terminated(CALL, { code: 200, subcode: 5020 }));
    await sleep(deadline + settleWait);
    expect(warnings()).toEqual([]);
  });
});

describe('callEstablished and callTerminated', () => {
  it('fires callEstablished once, when established arrives twice', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(callNotification(CALL, 'updated', 'establishing'));
    await bot.processNotifications(established(CALL, { myParticipantId: 'p-1' }));
    await bot.processNotifications(established(CALL, { myParticipantId: 'p-1' }));
    await bot.processNotifications(callNotification(CALL, 'updated', 'Established'));
    expect(rec.of('callEstablished')).toEqual([{ eventId: expect.any(String), callId: CALL, call: expect.objectContaining({ state: 'established', myParticipantId: 'p-1' }) }]);
  });

  it('fires callEstablished once when established comes before establishing', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(established(CALL));
    await bot.processNotifications(callNotification(CALL, 'updated', 'establishing'));
    await bot.processNotifications(established(CALL));
    expect(rec.of('callEstablished')).toHaveLength(1);
    expect((await bot.getCall(CALL))!.state).toBe('established');
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, string | undefined]>([
    ['200/5001', { code: 200, subcode: 5001, message: 'The conversation has ended.' }, { code: 200, subcode: 5001 }, 'ended: the conversation has ended'],
    ['0/7015', { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' }, { code: 0, subcode: 7015 }, 'transferred'],
    ['408/8537', { code: 408, subcode: 8537, message: 'no keepAlive' }, { code: 408, subcode: 8537 }, 'keepAlive missed: no keepAlive for 45 minutes'],
    ['408/1106', { code: 408, subcode: 1106, message: 'not answered' }, { code: 408, subcode: 1106 }, 'not answered in time: the bot did not answer, reject or redirect within 15 s'],
    ['an unknown code', { code: 299, subcode: 4242, message: '?' }, { code: 299, subcode: 4242 }, undefined],
    ['codes as strings', { code: '200', subcode: '5001' }, { code: 200, subcode: 5001 }, 'ended: the conversation has ended'],
    ['subCode spelled so', { code: 408, subCode: 8537 }, { code: 408, subcode: 8537 }, 'keepAlive missed: no keepAlive for 45 minutes'],
  ])('fires callTerminated once with resultInfo and reason for %s', async (_, sent, read, reason) => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(established(CALL));
    await bot.processNotifications(callNotification(CALL, 'updated', 'terminating'));
    await bot.processNotifications(terminated(CALL, sent));
    await bot.processNotifications(terminated(CALL, sent));
    await bot.processNotifications(callNotification(CALL, 'deleted'));
    const events = rec.of('callTerminated');
    expect(events).toHaveLength(1);
    expect(events[0]!.callId).toBe(CALL);
    expect(events[0]!.resultInfo).toMatchObject(read);
    expect(typeof events[0]!.resultInfo!.code).toBe('number');
    expect(typeof events[0]!.resultInfo!.subcode).toBe('number');
    if (reason === undefined) expect(events[0]).not.toHaveProperty('reason');
    else expect(events[0]!.reason).toBe(reason);
    expect((await bot.getCall(CALL))!.resultInfo).toMatchObject(read);
  });
});

describe('toneReceived', () => {
  it("fires for Microsoft's subscribeToTone page notification, and a tone-only update is no call change", async () => {
    const bot = newBot();
    await bot.processNotifications(callNotification(CALL, 'updated', 'established', { '@odata.type': '#microsoft.graph.call' }));
    const rec = recordEvents(bot);
    const page = graphDoc('subscribeToTone', 'ex1-subscribe-to-tone.notification.json');
    await bot.processNotifications(page);
    await bot.processNotifications(graphDoc('subscribeToTone', 'ex1-subscribe-to-tone.notification.json'));
    expect(rec.names()).toEqual(['toneReceived']);
    expect(rec.of('toneReceived')).toEqual([{ eventId: expect.any(String), callId: CALL, tone: 'tone1', sequenceId: 1 }]);
    expect((await bot.getCall(CALL))!.call).not.toHaveProperty('toneInfo');
  });

  it('fires once per sequenceId, out of order too', async () => {
    const bot = newBot();
    await bot.processNotifications(established(CALL));
    const rec = recordEvents(bot);
    for (const [seq, tone] of [
      [3, 'tone3'],
      [1, 'tone1'],
      [3, 'tone3'],
      [2, 'pound'],
      [1, 'tone1'],
      ['4', 'star'],
      [4, 'star'],
    ] as const) {
      await bot.processNotifications(toneNotification(CALL, seq, tone));
    }
    expect(rec.of('toneReceived')).toEqual([
      { eventId: expect.any(String), callId: CALL, tone: 'tone3', sequenceId: 3 },
      { eventId: expect.any(String), callId: CALL, tone: 'tone1', sequenceId: 1 },
      { eventId: expect.any(String), callId: CALL, tone: 'pound', sequenceId: 2 },
      { eventId: expect.any(String), callId: CALL, tone: 'star', sequenceId: 4 },
    ]);
    expect(rec.of('callUpdated')).toEqual([]);
  });

  it('tells the tone and the change when an update carries both', async () => {
    const bot = newBot();
    await bot.processNotifications(established(CALL));
    const rec = recordEvents(bot);
    const both = toneNotification(CALL, 7, 'tone7');
    both.value[0]!.resourceData = { ...(both.value[0]!.resourceData as object), state: 'hold' };
    await bot.processNotifications(both);
    expect(rec.of('toneReceived')).toEqual([{ eventId: expect.any(String), callId: CALL, tone: 'tone7', sequenceId: 7 }]);
    expect(rec.of('callUpdated').map((e) => e.state)).toEqual(['hold']);
    expect(rec.of('callUpdated')[0]!.call).not.toHaveProperty('toneInfo');
  });
});
