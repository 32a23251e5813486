import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { sameId, type CallHandle } from '@graph-comms/core';
import { briefly } from '../helpers/actions.js';
import { expectCleanStack, requestLog, startStack, waitForEvent, type Stack } from '../helpers/stack.js';

/*
 * A bot with `keepAliveIntervalMs: false`, through the emulator over HTTP: its calls end at
 * the emulator's keepAlive timeout (408/8537) unless it sends keepAlives itself.
 */

const KEEPALIVE_TIMEOUT_MS = 600; // the emulator's

const requests = requestLog();
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ emulator: { keepAliveTimeoutMs: KEEPALIVE_TIMEOUT_MS, logger: requests.log }, bot: { keepAliveIntervalMs: false }, botCallbackUri: true });
});
afterAll(() => stack.close());
afterEach(() => expectCleanStack(stack));

const keepAlives = (call: CallHandle) => requests.requests(new RegExp(`^POST /v1\\.0/communications/calls/${call.id}/keepAlive$`)).length;
const terminations = (call: CallHandle) => stack.rec.of('callTerminated').filter((e) => sameId(e.callId, call.id));

async function establishedCall(): Promise<CallHandle> {
  const call = await stack.bot.createCall({ targets: [{ identity: { user: { id: 'u-no-keepalive' } } }] });
  await waitForEvent(stack, 'callEstablished', (e) => sameId(e.callId, call.id));
  return call;
}

describe('without keepAlives', () => {
  it('the emulator ends the call with 408/8537: callTerminated once, keepAlive missed', async () => {
    const call = await establishedCall();
    const ended = await waitForEvent(stack, 'callTerminated', (e) => sameId(e.callId, call.id), KEEPALIVE_TIMEOUT_MS + 5_000);
    expect(ended).toEqual({ eventId: expect.any(String), callId: call.id, resultInfo: expect.objectContaining({ code: 408, subcode: 8537 }), reason: expect.stringMatching(/^keepAlive missed/) });
    expect(stack.emulator.getCall(call.id)).toMatchObject({ state: 'terminated', resultInfo: { code: 408, subcode: 8537 } });
    expect((await stack.bot.getCall(call.id))!.state).toBe('terminated');
    expect(keepAlives(call)).toBe(0);
    await stack.emulator.idle();
    await briefly();
    expect(terminations(call)).toHaveLength(1);
  });

  it('keepAlives sent by hand restart the clock; once they stop, the call ends 408/8537', async () => {
    const call = await establishedCall();
    const startedAt = Date.now();
    // A keepAlive every sixth of the timeout, for two timeouts.
    while (Date.now() - startedAt < KEEPALIVE_TIMEOUT_MS * 2) {
      await call.keepAlive();
      await briefly(KEEPALIVE_TIMEOUT_MS / 6);
    }
    expect(stack.emulator.getCall(call.id)!.state).toBe('established');
    expect(terminations(call)).toEqual([]);
    expect(keepAlives(call)).toBeGreaterThanOrEqual(3);
    const ended = await waitForEvent(stack, 'callTerminated', (e) => sameId(e.callId, call.id), KEEPALIVE_TIMEOUT_MS + 5_000);
    expect(ended).toMatchObject({ resultInfo: { code: 408, subcode: 8537 }, reason: expect.stringMatching(/^keepAlive missed/) });
  });
});
