/** Why a delivery failed, as the delivery log and the control API show it: a refused connection, a timeout, the bot's error code. */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attemptOutcome } from '../src/callbacks/delivery.js';
import type { DeliverySnapshot } from '../src/index.js';
import { answeringBot, closedPort } from './bots.js';
import { request, useEmulator } from './helpers.js';

describe('delivery failure causes', () => {
  const env = useEmulator({ callbackDelayMs: 0, maxDeliveryAttempts: 2, retryBackoffMs: 1, deliveryTimeoutMs: 150 });
  const deliveriesOf = async (callId: string) => ((await request(env.emulator, 'GET', `_emulator/deliveries?callId=${callId}`)).body as { deliveries: DeliverySnapshot[] }).deliveries;

  let silent: Server;
  let silentUrl = '';
  beforeAll(async () => {
    // Takes the callback and never answers.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/api/calls`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('a bot that refuses the connection: error ECONNREFUSED on every attempt, state failed', async () => {
    const call = env.emulator.placeIncomingCall({ callbackUri: `http://127.0.0.1:${await closedPort()}/api/calls` });
    await env.emulator.idle();
    const [delivery] = await deliveriesOf(call.id);
    expect(delivery).toMatchObject({
      state: 'failed',
      status: null,
      attempts: [
        { status: null, error: 'ECONNREFUSED', latencyMs: expect.any(Number) },
        { status: null, error: 'ECONNREFUSED' },
      ],
    });
    expect(attemptOutcome(delivery?.attempts[0] ?? { at: 0, status: null, latencyMs: 0 }, 150)).toBe('connection refused');
  });

  it('a bot answering 401 { error: { code: "invalid_token" } }: botError invalid_token, state rejected', async () => {
    const bot = await answeringBot(401, { error: { code: 'invalid_token', message: 'The token is expired.' } });
    try {
      const call = env.emulator.placeIncomingCall({ callbackUri: bot.url });
      await env.emulator.idle();
      const [delivery] = await deliveriesOf(call.id);
      expect(delivery).toMatchObject({ state: 'rejected', status: 401, attempts: [{ status: 401, botError: 'invalid_token' }] });
      expect(delivery?.attempts[0]).not.toHaveProperty('error');
      expect(attemptOutcome(env.emulator.deliveries.find((d) => d.callId === call.id)?.attempts[0] ?? { at: 0, status: null, latencyMs: 0 }, 150)).toBe('401 invalid_token');
    } finally {
      await bot.close();
    }
  });

  it('a bot answering 503 { error: { code: "store_unavailable" } } is retried; each attempt names the code', async () => {
    const bot = await answeringBot(503, { error: { code: 'store_unavailable' } });
    try {
      const call = env.emulator.placeIncomingCall({ callbackUri: bot.url });
      await env.emulator.idle();
      const [delivery] = await deliveriesOf(call.id);
      expect(delivery).toMatchObject({ state: 'failed', status: 503, attempts: [{ status: 503, botError: 'store_unavailable' }, { status: 503, botError: 'store_unavailable' }] });
    } finally {
      await bot.close();
    }
  });

  it('a bot that never answers: error timeout after deliveryTimeoutMs', async () => {
    const call = env.emulator.placeIncomingCall({ callbackUri: silentUrl });
    await env.emulator.idle();
    const [delivery] = await deliveriesOf(call.id);
    expect(delivery).toMatchObject({ state: 'failed', attempts: [{ status: null, error: 'timeout' }, { status: null, error: 'timeout' }] });
    expect(delivery?.attempts[0]?.latencyMs).toBeGreaterThanOrEqual(140);
    expect(attemptOutcome({ at: 0, status: null, latencyMs: 150, error: 'timeout' }, 150)).toBe('timeout after 150 ms');
  });

  it('an answer without a JSON error body has no botError', async () => {
    const call = env.emulator.placeIncomingCall({ callbackUri: env.bot.url() });
    await env.emulator.idle();
    const [delivery] = await deliveriesOf(call.id);
    expect(delivery?.attempts).toEqual([{ at: expect.any(Number), status: 202, latencyMs: expect.any(Number) }]);
  });
});
