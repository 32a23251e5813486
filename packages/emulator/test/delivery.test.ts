/** Callback delivery: signed tokens, order per call, bounded redelivery, redirects. */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { GraphEmulator } from '../src/index.js';
import { TestBot, invitee, request, user } from './helpers.js';

describe('callback delivery', () => {
  let emulator: GraphEmulator;
  let bot: TestBot;

  beforeAll(async () => {
    emulator = await GraphEmulator.start({ retryBackoffMs: 5 });
    bot = await TestBot.start();
  });
  afterAll(async () => {
    await emulator.close();
    await bot.close();
  });
  beforeEach(() => bot.reset());

  async function inviteOne(callbackUri = bot.url()): Promise<string> {
    const callId = emulator.createCall({ callbackUri, kind: 'group' }).id;
    const response = await request(emulator, 'POST', `v1.0/communications/calls/${callId}/participants/invite`, {
      participants: [invitee(user('guest'))],
      clientContext: 'ctx',
    });
    expect(response.status).toBe(200);
    await emulator.idle();
    return callId;
  }

  it('signs callbacks with RS256 tokens that verify against the published keys (found through the OpenID configuration)', async () => {
    await inviteOne();
    const config = (await (await fetch(emulator.openIdConfigurationUrl)).json()) as { issuer: string; jwks_uri: string };
    const keys = createRemoteJWKSet(new URL(config.jwks_uri));
    const authorization = String(bot.received[0]?.headers.authorization);
    expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const token = authorization.slice('Bearer '.length);
    const { payload, protectedHeader } = await jwtVerify(token, keys, { issuer: config.issuer, audience: emulator.appId });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: emulator.signingKeyId });
    expect(payload).toMatchObject({ iss: 'https://api.botframework.com', aud: emulator.appId, tid: emulator.tenantId, appidacr: '2' });
    expect(typeof payload.appid).toBe('string');
    expect(Number(payload.exp) - Number(payload.iat)).toBe(3600);
    expect(Number(payload.nbf)).toBeLessThanOrEqual(Number(payload.iat));
  });

  it('reuses one token across callbacks, as Graph does', async () => {
    await inviteOne();
    await inviteOne();
    const tokens = new Set(bot.received.map((r) => r.headers.authorization));
    expect(bot.received).toHaveLength(4);
    expect(tokens.size).toBe(1);
  });

  it('records every delivery: to whom, what, the status the bot answered', async () => {
    const before = emulator.deliveries.length;
    bot.answer = () => 200;
    const callId = await inviteOne();
    const records = emulator.deliveries.slice(before);
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record).toMatchObject({ callId, url: bot.url(), status: 200, state: 'delivered', attempts: [{ status: 200 }], duplicate: false });
      expect(record.authorization).toBe(bot.received[0]?.headers.authorization);
    }
    expect(records.map((r) => r.body)).toEqual(bot.received.map((r) => r.body));
  });

  it('redelivers after a 5xx answer, and stops once the bot accepts', async () => {
    bot.answer = (index) => (index === 0 ? 503 : 202);
    const before = emulator.deliveries.length;
    await inviteOne();
    const [roster, outcome] = emulator.deliveries.slice(before);
    expect(roster?.attempts.map((a) => a.status)).toEqual([503, 202]);
    expect(roster?.state).toBe('delivered');
    expect(outcome?.attempts.map((a) => a.status)).toEqual([202]);
    // The retry held back the next callback of the call: order is kept.
    expect(bot.received.map((r) => [r.body.value[0]?.resourceUrl.split('/')[4], r.status])).toEqual([
      ['participants', 503],
      ['participants', 202],
      ['operations', 202],
    ]);
  });

  it('gives up after maxDeliveryAttempts (3) when the bot keeps answering 5xx', async () => {
    bot.answer = () => 500;
    const before = emulator.deliveries.length;
    await inviteOne();
    const records = emulator.deliveries.slice(before);
    expect(records.map((r) => [r.state, r.attempts.length])).toEqual([
      ['failed', 3],
      ['failed', 3],
    ]);
    expect(bot.received).toHaveLength(6);
  });

  it('does not redeliver after a 4xx answer', async () => {
    bot.answer = () => 401;
    const before = emulator.deliveries.length;
    await inviteOne();
    expect(emulator.deliveries.slice(before).map((r) => [r.state, r.status, r.attempts.length])).toEqual([
      ['rejected', 401, 1],
      ['rejected', 401, 1],
    ]);
  });

  it('redelivers (bounded) when the bot cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const before = emulator.deliveries.length;
    await inviteOne(`http://127.0.0.1:${port}/api/calls`);
    for (const record of emulator.deliveries.slice(before)) {
      expect(record.state).toBe('failed');
      expect(record.status).toBeNull();
      expect(record.attempts).toHaveLength(3);
      expect(record.attempts[0]?.error).toEqual(expect.any(String));
    }
  });

  it('follows a redirect with a Location header (how a stateful bot sends a call to its instance)', async () => {
    const redirector = createServer((_req, res) => {
      res.writeHead(307, { Location: bot.url('/instance-2/api/calls') }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const before = emulator.deliveries.length;
      await inviteOne(`http://127.0.0.1:${(redirector.address() as AddressInfo).port}/api/calls`);
      expect(bot.received.map((r) => r.path)).toEqual(['/instance-2/api/calls', '/instance-2/api/calls']);
      expect(emulator.deliveries.slice(before).map((r) => [r.state, r.attempts[0]?.redirectedTo])).toEqual([
        ['delivered', bot.url('/instance-2/api/calls')],
        ['delivered', bot.url('/instance-2/api/calls')],
      ]);
    } finally {
      redirector.closeAllConnections();
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });

  it('sends the callbacks of one call one at a time, in order, even when the bot is slow', async () => {
    bot.delay = (index) => (index % 2 === 0 ? 40 : 0);
    const callId = emulator.createCall({ callbackUri: bot.url(), kind: 'group' }).id;
    const participantIds: string[] = [];
    for (let i = 0; i < 5; i += 1) participantIds.push(emulator.addParticipant(callId, user(`joiner-${i}`)));
    emulator.endCall(callId);
    await emulator.idle();
    expect(bot.maxInFlight).toBe(1);
    const notifications = bot.about(callId);
    expect(notifications.map((n) => (Array.isArray(n.resourceData) ? n.resourceData[0]?.id : n.resourceData.state))).toEqual([
      ...participantIds,
      'terminating',
      'terminated',
    ]);
    expect(notifications.slice(0, 5).map((n) => (n.resourceData as Array<{ rosterSequenceNumber: number }>)[0]?.rosterSequenceNumber)).toEqual([
      2, 3, 4, 5, 6,
    ]);
  });

  it('sends the callbacks of different calls in parallel', async () => {
    bot.delay = () => 40;
    const calls = [1, 2, 3].map(() => emulator.createCall({ callbackUri: bot.url(), kind: 'group' }).id);
    for (const callId of calls) emulator.addParticipant(callId, user('joiner'));
    await emulator.idle();
    expect(bot.received).toHaveLength(3);
    expect(bot.maxInFlight).toBeGreaterThan(1);
  });

  it('signs with a kid that names a key of the published key set', async () => {
    await inviteOne();
    const token = String(bot.received[0]?.headers.authorization).slice(7);
    const jwks = (await (await fetch(emulator.jwksUrl)).json()) as { keys: Array<{ kid: string }> };
    expect(jwks.keys.map((k) => k.kid)).toContain(decodeProtectedHeader(token).kid);
  });
});
