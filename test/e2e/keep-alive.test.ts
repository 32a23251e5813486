import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { sameId, type CallHandle } from '@graph-comms/core';
import { briefly } from '../helpers/actions.js';
import { capturingLogger, expectCleanStack, requestLog, startStack, waitForEvent, waitUntil, type Stack } from '../helpers/stack.js';

/*
 * The bot's keepAlives, through the emulator over HTTP: with a keepAlive every ~100 ms, calls
 * outlive the emulator's 400 ms keepAlive timeout; a keepAlive answered 404 ends the call for
 * the bot. (Without keepAlives: keep-alive-off.test.ts.)
 */

const KEEPALIVE_TIMEOUT_MS = 400; // the emulator's: a call that heard no keepAlive this long ends 408/8537
const KEEPALIVE_INTERVAL_MS = 100; // the bot's

const requests = requestLog();
const logger = capturingLogger();
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ emulator: { keepAliveTimeoutMs: KEEPALIVE_TIMEOUT_MS, logger: requests.log }, bot: { keepAliveIntervalMs: KEEPALIVE_INTERVAL_MS, logger }, botCallbackUri: true });
});
afterAll(() => stack.close());
afterEach(() => expectCleanStack(stack));

/** The keepAlives of a call that reached the emulator. */
const keepAlives = (call: CallHandle) => requests.requests(new RegExp(`^POST /v1\\.0/communications/calls/${call.id}/keepAlive$`)).length;
const terminations = (call: CallHandle) => stack.rec.of('callTerminated').filter((e) => sameId(e.callId, call.id));

/** After the call ended: no more keepAlives for it over several intervals, and it ended once. */
async function expectEndedForGood(call: CallHandle): Promise<void> {
  const atEnd = keepAlives(call);
  await briefly(KEEPALIVE_INTERVAL_MS * 4);
  expect(keepAlives(call)).toBe(atEnd);
  expect(terminations(call)).toHaveLength(1);
}

async function establishedCall(): Promise<CallHandle> {
  const call = await stack.bot.createCall({ targets: [{ identity: { user: { id: 'u-keepalive' } } }] });
  await waitForEvent(stack, 'callEstablished', (e) => sameId(e.callId, call.id));
  await stack.emulator.idle();
  return call;
}

describe('keepAlive', () => {
  it('an established call outlives the keepAlive timeout; the keepAlives stop once it ended', async () => {
    const call = await establishedCall();
    // Several timeouts long: without keepAlives the emulator would have ended it by then.
    await briefly(KEEPALIVE_TIMEOUT_MS * 4);
    expect(stack.emulator.getCall(call.id)!.state).toBe('established');
    expect(terminations(call)).toEqual([]);
    // About one per 100 ms: at least one per timeout, and not a flood.
    const sent = keepAlives(call);
    expect(sent).toBeGreaterThanOrEqual(3);
    expect(sent).toBeLessThanOrEqual(80);

    await call.hangUp();
    await waitForEvent(stack, 'callTerminated', (e) => sameId(e.callId, call.id));
    // (Its resultInfo: the next test.)
    await expectEndedForGood(call);
  });

  it('the bot hangs up and Graph’s notifications are slow: callTerminated still says 200/5001', async () => {
    const call = await establishedCall();
    // Keeps the hang-up's terminating/terminated callbacks on their way for several keepAlive intervals.
    stack.emulator.faults.nextOperation('hangUp', { latencyMs: KEEPALIVE_INTERVAL_MS * 5 });
    await call.hangUp();
    await waitForEvent(stack, 'callTerminated', (e) => sameId(e.callId, call.id));
    await stack.emulator.idle();
    await briefly();
    // A keepAlive answered 404 while the call the bot hung up is ending is no news: Graph's own ending is.
    expect(terminations(call)).toEqual([{ eventId: expect.any(String), callId: call.id, resultInfo: expect.objectContaining({ code: 200, subcode: 5001 }), reason: 'ended: the conversation has ended' }]);
    expect((await stack.bot.getCall(call.id))!.resultInfo).toMatchObject({ code: 200, subcode: 5001 });
  });

  it('the call ended on Graph’s side and the bot never heard: the keepAlive answered 404 ends it locally', async () => {
    const call = await establishedCall();
    // Someone else hangs up, and Graph's callbacks of it never come.
    stack.emulator.faults.nextOperation('hangUp', { neverComplete: true });
    await stack.graphClient.api(`/communications/calls/${call.id}`).delete();
    expect(stack.emulator.getCall(call.id)!.state).toBe('terminated');
    const delivered = stack.emulator.deliveries.filter((d) => d.callId === call.id).length;
    expect((await stack.bot.getCall(call.id))!.state).toBe('established');

    const ended = await waitForEvent(stack, 'callTerminated', (e) => sameId(e.callId, call.id));
    expect(ended).toEqual({ eventId: expect.any(String), callId: call.id, resultInfo: expect.objectContaining({ code: 404 }) });
    expect((await stack.bot.getCall(call.id))!.state).toBe('terminated');
    // It was a keepAlive the emulator refused, not a callback.
    expect(stack.emulator.deliveries.filter((d) => d.callId === call.id)).toHaveLength(delivered);
    expect(requests.lines.some((l) => l.line.startsWith(`POST /v1.0/communications/calls/${call.id}/keepAlive -> 404`))).toBe(true);
    await expectEndedForGood(call);
  });

  it('a keepAlive answered 404 while Graph still has the call: ended locally, and Graph’s own ending later tells nothing twice', async () => {
    const call = await establishedCall();
    stack.emulator.faults.nextOperation('keepAlive', { httpError: { status: 404, code: 'itemNotFound', message: 'Call not found.' } });
    const ended = await waitForEvent(stack, 'callTerminated', (e) => sameId(e.callId, call.id));
    expect(ended.resultInfo).toMatchObject({ code: 404 });
    // No keepAlive comes any more: Graph ends the call at its timeout, and its callback reaches the bot.
    await waitUntil(() => stack.emulator.getCall(call.id)!.state === 'terminated', 'the emulator to end the call', KEEPALIVE_TIMEOUT_MS + 5_000);
    expect(stack.emulator.getCall(call.id)!.resultInfo).toMatchObject({ code: 408, subcode: 8537 });
    await stack.emulator.idle();
    await briefly();
    expect(stack.emulator.deliveries.filter((d) => d.callId === call.id).map((d) => d.status).filter((s) => s !== 202)).toEqual([]);
    expect(terminations(call)).toHaveLength(1);
  });

  it('a keepAlive that fails otherwise (500): logged, and the call stays up on the next ones', async () => {
    const call = await establishedCall();
    stack.emulator.faults.nextOperation('keepAlive', { httpError: { status: 500, code: 'InternalServerError', message: 'Try again.' } });
    await waitUntil(() => stack.emulator.faults.pendingOperations('keepAlive') === 0, 'the failing keepAlive');
    const failedAt = keepAlives(call);
    await briefly(KEEPALIVE_TIMEOUT_MS * 2);
    expect(stack.emulator.getCall(call.id)!.state).toBe('established');
    expect(keepAlives(call)).toBeGreaterThan(failedAt);
    expect(terminations(call)).toEqual([]);
    expect(logger.lines.filter((l) => l.level === 'warn' && l.fields['callId'] === call.id)).toEqual([expect.objectContaining({ message: expect.stringContaining('keepAlive failed') })]);
    await call.hangUp();
    await waitForEvent(stack, 'callTerminated', (e) => sameId(e.callId, call.id));
  });
});
