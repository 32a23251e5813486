/** Callback delivery: signed tokens, order per call, bounded redelivery, redirects. */
import { describe, it, expect } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { invitee, request, useEmulator, user } from './helpers.js';

describe('callback delivery', () => {
  const env = useEmulator({ retryBackoffMs: 5 }, 'resetBot');

  async function inviteOne(callbackUri = env.bot.url()): Promise<string> {
    const callId = env.emulator.createCall({ callbackUri, kind: 'group' }).id;
    const response = await request(env.emulator, 'POST', `v1.0/communications/calls/${callId}/participants/invite`, {
      participants: [invitee(user('guest'))],
      clientContext: 'ctx',
    });
    expect(response.status).toBe(200);
    await env.emulator.idle();
    return callId;
  }

  it('signs callbacks with RS256 tokens that verify against the published keys (found through the OpenID configuration)', async () => {
    await inviteOne();
    const config = (await (await fetch(env.emulator.openIdConfigurationUrl)).json()) as { issuer: string; jwks_uri: string };
    const keys = createRemoteJWKSet(new URL(config.jwks_uri));
    const authorization = String(env.bot.received[0]?.headers.authorization);
    expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const token = authorization.slice('Bearer '.length);
    const { payload, protectedHeader } = await jwtVerify(token, keys, { issuer: config.issuer, audience: env.emulator.appId });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: env.emulator.signingKeyId });
    expect(payload).toMatchObject({ iss: 'https://api.botframework.com', aud: env.emulator.appId, tid: env.emulator.tenantId, appidacr: '2' });
    expect(typeof payload.appid).toBe('string');
    expect(Number(payload.exp) - Number(payload.iat)).toBe(3600);
    expect(Number(payload.nbf)).toBeLessThanOrEqual(Number(payload.iat));
  });

  it('reuses one token across callbacks, as Graph does', async () => {
    await inviteOne();
    await inviteOne();
    const tokens = new Set(env.bot.received.map((r) => r.headers.authorization));
    expect(env.bot.received).toHaveLength(4);
    expect(tokens.size).toBe(1);
  });

  it('records every delivery: to whom, what, the status the bot answered', async () => {
    const before = env.emulator.deliveries.length;
    env.bot.answer = () => 200;
    const callId = await inviteOne();
    const records = env.emulator.deliveries.slice(before);
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record).toMatchObject({ callId, url: env.bot.url(), status: 200, state: 'delivered', attempts: [{ status: 200 }], duplicate: false });
      expect(record.authorization).toBe(env.bot.received[0]?.headers.authorization);
    }
    expect(records.map((r) => r.body)).toEqual(env.bot.received.map((r) => r.body));
  });

  it('redelivers after a 5xx answer, and stops once the bot accepts', async () => {
    env.bot.answer = (index) => (index === 0 ? 503 : 202);
    const before = env.emulator.deliveries.length;
    await inviteOne();
    const [roster, outcome] = env.emulator.deliveries.slice(before);
    expect(roster?.attempts.map((a) => a.status)).toEqual([503, 202]);
    expect(roster?.state).toBe('delivered');
    expect(outcome?.attempts.map((a) => a.status)).toEqual([202]);
    // The retry held back the next callback of the call: order is kept.
    expect(env.bot.received.map((r) => [r.body.value[0]?.resourceUrl.split('/')[4], r.status])).toEqual([
      ['participants', 503],
      ['participants', 202],
      ['operations', 202],
    ]);
  });

  it('gives up after maxDeliveryAttempts (3) when the bot keeps answering 5xx', async () => {
    env.bot.answer = () => 500;
    const before = env.emulator.deliveries.length;
    await inviteOne();
    const records = env.emulator.deliveries.slice(before);
    expect(records.map((r) => [r.state, r.attempts.length])).toEqual([
      ['failed', 3],
      ['failed', 3],
    ]);
    expect(env.bot.received).toHaveLength(6);
  });

  it('does not redeliver after a 4xx answer', async () => {
    env.bot.answer = () => 401;
    const before = env.emulator.deliveries.length;
    await inviteOne();
    expect(env.emulator.deliveries.slice(before).map((r) => [r.state, r.status, r.attempts.length])).toEqual([
      ['rejected', 401, 1],
      ['rejected', 401, 1],
    ]);
  });

  it('redelivers (bounded) when the bot cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const before = env.emulator.deliveries.length;
    await inviteOne(`http://127.0.0.1:${port}/api/calls`);
    for (const record of env.emulator.deliveries.slice(before)) {
      expect(record.state).toBe('failed');
      expect(record.status).toBeNull();
      expect(record.attempts).toHaveLength(3);
      expect(record.attempts[0]?.error).toEqual(expect.any(String));
    }
  });

  it('follows a redirect with a Location header (how a stateful bot sends a call to its instance)', async () => {
    const redirector = createServer((_req, res) => {
      res.writeHead(307, { Location: env.bot.url('/instance-2/api/calls') }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const before = env.emulator.deliveries.length;
      await inviteOne(`http://127.0.0.1:${(redirector.address() as AddressInfo).port}/api/calls`);
      expect(env.bot.received.map((r) => r.path)).toEqual(['/instance-2/api/calls', '/instance-2/api/calls']);
      expect(env.emulator.deliveries.slice(before).map((r) => [r.state, r.attempts[0]?.redirectedTo])).toEqual([
        ['delivered', env.bot.url('/instance-2/api/calls')],
        ['delivered', env.bot.url('/instance-2/api/calls')],
      ]);
    } finally {
      redirector.closeAllConnections();
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });

  it('sends the callbacks of one call one at a time, in order, even when the bot is slow', async () => {
    env.bot.delay = (index) => (index % 2 === 0 ? 40 : 0);
    const callId = env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group' }).id;
    const participantIds: string[] = [];
    for (let i = 0; i < 5; i += 1) participantIds.push(env.emulator.addParticipant(callId, user(`joiner-${i}`)));
    env.emulator.endCall(callId);
    await env.emulator.idle();
    expect(env.bot.maxInFlight).toBe(1);
    const notifications = env.bot.about(callId);
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
    env.bot.delay = () => 40;
    const calls = [1, 2, 3].map(() => env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group' }).id);
    for (const callId of calls) env.emulator.addParticipant(callId, user('joiner'));
    await env.emulator.idle();
    expect(env.bot.received).toHaveLength(3);
    expect(env.bot.maxInFlight).toBeGreaterThan(1);
  });

  it('signs with a kid that names a key of the published key set', async () => {
    await inviteOne();
    const token = String(env.bot.received[0]?.headers.authorization).slice(7);
    const jwks = (await (await fetch(env.emulator.jwksUrl)).json()) as { keys: Array<{ kid: string }> };
    expect(jwks.keys.map((k) => k.kid)).toContain(decodeProtectedHeader(token).kid);
  });
});
