import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { GraphRequestError, RequestValidationError, sameId, type IncomingCallEvent } from '@graph-comms/core';
import type { CallbackFaults, IncomingCallOptions, JsonObject } from '@graph-comms/emulator';
import { briefly } from '../helpers/actions.js';
import { capturingLogger, eventsOf, expectCleanStack, requestLog, startStack, waitForEvent, type Stack } from '../helpers/stack.js';

/*
 * Calls offered to the bot, through the emulator over HTTP with signed callbacks: answered,
 * rejected, redirected or left to ring out; then tones and hanging up on an answered call.
 */

const ANSWER_TIMEOUT_MS = 1_500; // the emulator's: an unanswered call ends with 408/1106
const ANSWER_DEADLINE_MS = 750; // the bot's: past it, a warning

const requests = requestLog();
const logger = capturingLogger();
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ emulator: { answerTimeoutMs: ANSWER_TIMEOUT_MS, logger: requests.log }, bot: { answerDeadlineMs: ANSWER_DEADLINE_MS, logger }, botCallbackUri: true });
});
afterAll(() => stack.close());
afterEach(() => expectCleanStack(stack));

/** The calls answered, rejected or redirected (in time): the bot must not warn about them. */
const settled = new Set<string>();

/** Someone calls the bot; resolves once the bot told `incomingCall`. */
async function offer(options: Partial<IncomingCallOptions> = {}) {
  const placed = stack.emulator.placeIncomingCall({ callbackUri: stack.callbackUri, ...options });
  const incoming = await waitForEvent(stack, 'incomingCall', (e) => sameId(e.callId, placed.id));
  return { id: placed.id, incoming, events: eventsOf(stack, placed.id) };
}

/** An incoming call answered from its event (`e.answer()`), established for the bot. */
async function answered() {
  const call = await offer();
  await call.incoming.answer();
  settled.add(call.id);
  await waitForEvent(stack, 'callEstablished', (e) => sameId(e.callId, call.id));
  await stack.emulator.idle();
  return call;
}

const callStates = (callId: string) =>
  stack.emulator.deliveries.filter((d) => d.callId === callId && d.kind === 'call').map((d) => (d.body.value[0]!.resourceData as JsonObject)['state']);

const allAccepted = (callId: string) => expect(stack.emulator.deliveries.filter((d) => d.callId === callId).map((d) => d.status).filter((s) => s !== 202)).toEqual([]);

describe('an incoming call', () => {
  it.each<[string, CallbackFaults | null]>([
    ['delivered once', null],
    ['delivered twice', { duplicate: true }],
  ])('is offered once (%s), with callId, the caller and receivedAt', async (_name, faults) => {
    stack.emulator.faults.callbacks(faults);
    const before = Date.now();
    const { id, incoming, events } = await offer({ from: { user: { id: 'caller-1', displayName: 'Ada' } } });
    expect(incoming.callId).toBe(id);
    expect(incoming.call).toMatchObject({ state: 'incoming', direction: 'incoming', source: { identity: { user: { id: 'caller-1', displayName: 'Ada' } } } });
    expect(incoming.receivedAt).toBeGreaterThanOrEqual(before);
    expect(incoming.receivedAt).toBeLessThanOrEqual(Date.now());
    await stack.emulator.idle();
    await briefly();
    if (faults) expect(stack.emulator.deliveries.filter((d) => d.callId === id && d.duplicate)).toHaveLength(1);
    expect(events.of('incomingCall')).toHaveLength(1);
    expect(await stack.bot.getCall(id)).toMatchObject({ state: 'incoming' });
    await incoming.reject();
    settled.add(id);
  });

  it('answered from the event (e.answer()): establishing, established, callEstablished once, the roster', async () => {
    const { id, events } = await answered();
    await briefly();
    expect(events.states()).toEqual(['incoming', 'establishing', 'established']);
    expect(events.of('callEstablished')).toEqual([{ eventId: expect.any(String), callId: id, call: expect.objectContaining({ state: 'established' }) }]);
    // What the bot sent: its callbackUri, audio, service-hosted media.
    const there = stack.emulator.getCall(id)!;
    expect(there.state).toBe('established');
    expect(there.callbackUri).toBe(stack.callbackUri);
    expect(there.resource['mediaConfig']).toMatchObject({ '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' });
    expect(requests.requests(new RegExp(`/calls/${id}/answer$`)).map((r) => r.body)).toEqual([expect.objectContaining({ acceptedModalities: ['audio'], callbackUri: stack.callbackUri })]);
    const [roster] = events.of('rosterUpdated');
    expect(roster!.participants.map((p) => p.id).sort()).toEqual(there.participants.map((p) => p['id']).sort());
    expect((await stack.bot.getCall(id))!.state).toBe('established');
    allAccepted(id);
    await stack.bot.call(id).hangUp();
  });

  it('answered out of order (established before establishing): callEstablished once, the state never goes back', async () => {
    stack.emulator.faults.nextOperation('answer', { outOfOrder: true });
    const { id, events } = await answered();
    await briefly();
    // The fault really happened: establishing was delivered after established.
    expect(callStates(id)).toEqual(['incoming', 'established', 'establishing']);
    expect(events.states()).toEqual(['incoming', 'established']);
    expect(events.of('callEstablished')).toHaveLength(1);
    expect((await stack.bot.getCall(id))!.state).toBe('established');
    allAccepted(id);
    await stack.bot.call(id).hangUp();
  });

  it('rejected (busy): callTerminated once with 200/7000, never established', async () => {
    const { id, incoming, events } = await offer();
    await expect(incoming.reject({ reason: 'busy' })).resolves.toBeUndefined();
    settled.add(id);
    await waitForEvent(stack, 'callTerminated', (e) => sameId(e.callId, id));
    await stack.emulator.idle();
    await briefly();
    expect(requests.requests(new RegExp(`/calls/${id}/reject$`)).map((r) => r.body)).toEqual([expect.objectContaining({ reason: 'busy' })]);
    expect(events.of('callTerminated')).toEqual([{ eventId: expect.any(String), callId: id, resultInfo: expect.objectContaining({ code: 200, subcode: 7000 }), reason: 'ended by the bot' }]);
    expect(events.of('callEstablished')).toEqual([]);
    expect(stack.emulator.getCall(id)!.state).toBe('terminated');
    expect((await stack.bot.getCall(id))!.state).toBe('terminated');
  });

  it('redirected: redirecting, then the call ends for the bot (answered by the first target)', async () => {
    const { id, incoming, events } = await offer();
    const targets = [{ identity: { user: { id: 'u-redirect-1' } } }, { identity: { user: { id: 'u-redirect-2' } } }];
    await expect(incoming.redirect({ targets, timeout: 20 })).resolves.toBeUndefined();
    settled.add(id);
    await waitForEvent(stack, 'callTerminated', (e) => sameId(e.callId, id));
    await stack.emulator.idle();
    await briefly();
    expect(requests.requests(new RegExp(`/calls/${id}/redirect$`)).map((r) => r.body)).toEqual([expect.objectContaining({ targets, timeout: 20, callbackUri: stack.callbackUri })]);
    expect(events.states()).toEqual(['incoming', 'redirecting', 'terminated']);
    expect(events.of('callTerminated')).toEqual([{ eventId: expect.any(String), callId: id, resultInfo: expect.objectContaining({ code: 200, subcode: 7000 }), reason: 'ended by the bot' }]);
    expect(events.of('callEstablished')).toEqual([]);
    expect(stack.emulator.getCall(id)!.resource['answeredBy']).toMatchObject({ identity: { user: { id: 'u-redirect-1' } } });
  });

  it.each<[string, Parameters<IncomingCallEvent['redirect']>[0], string]>([
    ['to nobody', { targets: [] }, 'targets.missing'],
    ['with a timeout under 15 s', { targets: [{ identity: { user: { id: 'u-1' } } }], timeout: 5 }, 'timeout.outOfRange'],
  ])('redirected %s: RequestValidationError, no request, still incoming', async (_name, request, rule) => {
    const { id, incoming, events } = await offer();
    const error = await incoming.redirect(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error).toMatchObject({ action: 'redirect', rule });
    await briefly();
    expect(requests.requests(new RegExp(`/calls/${id}/`))).toEqual([]);
    expect(stack.emulator.getCall(id)!.state).toBe('incoming');
    expect(events.of('callTerminated')).toEqual([]);
    await incoming.reject();
    settled.add(id);
  });

  it('left unanswered: the bot warns past its deadline, Graph ends it 408/1106, answering then is a GraphRequestError', async () => {
    const { id, incoming, events } = await offer();
    const terminated = await waitForEvent(stack, 'callTerminated', (e) => sameId(e.callId, id), ANSWER_TIMEOUT_MS + 5_000);
    expect(terminated).toEqual({ eventId: expect.any(String), callId: id, resultInfo: expect.objectContaining({ code: 408, subcode: 1106 }), reason: expect.stringMatching(/^not answered in time/) });
    expect(events.of('callTerminated')).toHaveLength(1);
    expect(stack.emulator.getCall(id)).toMatchObject({ state: 'terminated', resultInfo: { code: 408, subcode: 1106 } });
    const warnings = logger.lines.filter((l) => l.level === 'warn' && l.fields['callId'] === id);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.fields['listeners']).toBeGreaterThanOrEqual(1);
    expect(warnings[0]!.message).toContain('408/1106');
    // The calls of the other tests were answered, rejected or redirected in time: no warning for them.
    expect(settled.size).toBeGreaterThan(0);
    expect(logger.lines.filter((l) => l.level === 'warn' && settled.has(String(l.fields['callId'])))).toEqual([]);

    const error = await incoming.answer().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ status: 404 });
    await briefly();
    expect(events.of('callEstablished')).toEqual([]);
    expect(events.of('callTerminated')).toHaveLength(1);
  });
});

describe('tones of an answered call', () => {
  it('before subscribeToTone: nothing is sent, no toneReceived', async () => {
    const { id, events } = await answered();
    expect(stack.emulator.pressTone(id, 'tone1')).toBeNull();
    await stack.emulator.idle();
    await briefly();
    expect(events.of('toneReceived')).toEqual([]);
    await stack.bot.call(id).hangUp();
  });

  it.each<[string, CallbackFaults | null]>([
    ['delivered once', null],
    ['delivered twice', { duplicate: true }],
  ])('after subscribeToTone: toneReceived once per sequenceId, in order (%s), no callUpdated', async (_name, faults) => {
    const { id, events } = await answered();
    const op = await stack.bot.call(id).subscribeToTone();
    expect(op.status).toBe('completed');
    const updates = events.of('callUpdated').length;
    stack.emulator.faults.callbacks(faults);
    const pressed = (['tone1', 'pound', 'star', 'tone1'] as const).map((tone) => stack.emulator.pressTone(id, tone));
    expect(pressed).toEqual([1, 2, 3, 4]);
    await waitForEvent(stack, 'toneReceived', (e) => sameId(e.callId, id) && e.sequenceId === 4);
    await stack.emulator.idle();
    await briefly();
    stack.emulator.faults.callbacks(null);
    if (faults) expect(stack.emulator.deliveries.filter((d) => d.callId === id && d.duplicate).length).toBeGreaterThanOrEqual(4);
    expect(events.of('toneReceived')).toEqual([
      { eventId: expect.any(String), callId: id, tone: 'tone1', sequenceId: 1 },
      { eventId: expect.any(String), callId: id, tone: 'pound', sequenceId: 2 },
      { eventId: expect.any(String), callId: id, tone: 'star', sequenceId: 3 },
      { eventId: expect.any(String), callId: id, tone: 'tone1', sequenceId: 4 },
    ]);
    expect(events.of('callUpdated')).toHaveLength(updates);
    allAccepted(id);
    await stack.bot.call(id).hangUp();
  });
});

describe('hanging up an answered call', () => {
  it('callUpdated terminating, then callTerminated once with 200/5001', async () => {
    const { id, events } = await answered();
    const mark = events.names().length;
    await expect(stack.bot.call(id).hangUp()).resolves.toBeUndefined();
    await waitForEvent(stack, 'callTerminated', (e) => sameId(e.callId, id));
    await stack.emulator.idle();
    await briefly();
    const after = stack.rec.events.filter((e) => sameId((e.payload as { callId?: string }).callId, id)).slice(mark);
    expect(after.map((e) => (e.name === 'callUpdated' ? `callUpdated ${e.payload.state}` : e.name))).toEqual(['callUpdated terminating', 'callUpdated terminated', 'callTerminated']);
    expect(events.of('callTerminated')).toEqual([{ eventId: expect.any(String), callId: id, resultInfo: expect.objectContaining({ code: 200, subcode: 5001 }), reason: 'ended: the conversation has ended' }]);
    expect(stack.emulator.getCall(id)!.state).toBe('terminated');
    expect((await stack.bot.getCall(id))!.state).toBe('terminated');
    allAccepted(id);
  });
});
