import { describe, it, expect, beforeAll, afterEach, jest } from '@jest/globals';
import { CallingBot, createGraphTokenVerifier, GraphCommsError, type Logger } from '@graph-comms/core';
import { seed } from '../../../test/helpers/fixtures.js';
import { recordEvents } from '../../../test/helpers/recorder.js';
import { APP_ID, makeKey, nowSeconds, signToken, TENANT_ID, type TestKey } from './auth/helpers.js';

let key: TestKey;
let token: string;
beforeAll(async () => {
  key = await makeKey('k1');
  token = await signToken(key);
});
let bots: CallingBot[] = [];
afterEach(async () => {
  await Promise.all(bots.map((b) => b.close()));
  bots = [];
});

function newBot(logger?: Logger, allowedTenantIds?: string[]): CallingBot {
  const tokenVerifier = createGraphTokenVerifier({ appId: APP_ID, jwks: { keys: [key.jwk] }, ...(allowedTenantIds ? { allowedTenantIds } : {}) });
  const bot = new CallingBot({ appId: APP_ID, tokenVerifier, ...(logger ? { logger } : {}) });
  bots.push(bot);
  return bot;
}
const json = { 'content-type': 'application/json' };
const body = () => JSON.stringify(seed('ex1-invite-one', 'notification-operation'));

describe('handleRequest', () => {
  it('answers 202 to a verified callback and hands the caller to custom handlers', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    const tenants: Array<string | undefined> = [];
    bot.use((ctx, next) => (tenants.push(ctx.caller?.tenantId), next()));
    const answer = await bot.handleRequest({ headers: { ...json, authorization: `Bearer ${token}` }, body: body() });
    expect(answer).toEqual({ status: 202 });
    expect(tenants).toEqual([TENANT_ID]);
    expect(rec.of('operationCompleted')).toHaveLength(1);
  });

  it('accepts a body as bytes, as an object parsed elsewhere, and fetch Headers', async () => {
    const bot = newBot();
    const headers = new Headers({ ...json, Authorization: `Bearer ${token}` });
    expect((await bot.handleRequest({ headers, body: Buffer.from(body()) })).status).toBe(202);
    expect((await bot.handleRequest({ headers, body: JSON.parse(body()) })).status).toBe(202);
  });

  it('reads a Uint8Array that is a view into a larger buffer, and plain headers in any case', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    const bytes = new TextEncoder().encode(body());
    const padded = new Uint8Array(bytes.length + 8);
    padded.set(bytes, 4);
    const view = padded.subarray(4, 4 + bytes.length); // not a Buffer, and not at offset 0
    const answer = await bot.handleRequest({ headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: view });
    expect(answer).toEqual({ status: 202 });
    expect(rec.of('operationCompleted')).toHaveLength(1);
  });

  it.each([
    ['no header', undefined, 'missing_token'],
    ['a Basic header', 'Basic dXNlcjpwYXNz', 'malformed_header'],
    ['garbage', 'Bearer not-a-jwt', 'malformed_token'],
  ])('answers 401 with WWW-Authenticate for %s, and logs the reason without the token', async (_name, authorization, code) => {
    const logged: unknown[] = [];
    const log = (fields: Record<string, unknown>, message?: string) => void logged.push([fields, message]);
    const bot = newBot({ debug: log, info: log, warn: log, error: log });
    const rec = recordEvents(bot);
    const answer = await bot.handleRequest({ headers: { ...json, ...(authorization ? { authorization } : {}) }, body: body() });
    expect(answer.status).toBe(401);
    expect(answer.headers?.['www-authenticate']).toMatch(/^Bearer error="invalid_token"/);
    expect(answer.body?.error.code).toBe(code);
    expect(rec.events).toHaveLength(0);
    expect(logged).toEqual([[{ reason: code }, expect.stringContaining('refused')]]);
  });

  it('never echoes the token in a refusal', async () => {
    const bot = newBot();
    const expired = await signToken(key, { exp: nowSeconds() - 3600, nbf: nowSeconds() - 7200, iat: nowSeconds() - 7200 });
    const answer = await bot.handleRequest({ headers: { ...json, authorization: `Bearer ${expired}` }, body: body() });
    expect(answer.body?.error.code).toBe('expired');
    expect(JSON.stringify(answer)).not.toContain(expired.split('.')[2]);
  });

  it('answers 401 tenant_not_allowed for a tenant outside allowedTenantIds', async () => {
    const bot = newBot(undefined, ['00000000-0000-0000-0000-000000000001']);
    const answer = await bot.handleRequest({ headers: { ...json, authorization: `Bearer ${token}` }, body: body() });
    expect(answer.body?.error.code).toBe('tenant_not_allowed');
  });

  it('answers 503 with Retry-After when the signing keys cannot be fetched, so Graph retries', async () => {
    const tokenVerifier = createGraphTokenVerifier({ appId: APP_ID, openIdConfigurationUrl: 'http://127.0.0.1:9/openid', timeoutMs: 200 });
    const bot = new CallingBot({ logger: false, appId: APP_ID, tokenVerifier });
    bots.push(bot);
    const answer = await bot.handleRequest({ headers: { ...json, authorization: `Bearer ${token}` }, body: body() });
    expect(answer).toMatchObject({ status: 503, headers: { 'retry-after': '5' }, body: { error: { code: 'keys_unavailable' } } });
  });

  it.each([
    ['a body that is not JSON', '{"value": [', 'invalid_json'],
    ['a body that is not commsNotifications', '{"value": 5}', 'notification_invalid'],
  ])('answers 400 to %s', async (_name, raw, code) => {
    const bot = newBot();
    const answer = await bot.handleRequest({ headers: { ...json, authorization: `Bearer ${token}` }, body: raw });
    expect(answer).toMatchObject({ status: 400, body: { error: { code } } });
  });

  it('answers 415 to a content type other than JSON, and accepts application/json with parameters', async () => {
    const bot = newBot();
    const text = await bot.handleRequest({ headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` }, body: body() });
    expect(text.status).toBe(415);
    const withCharset = await bot.handleRequest({ headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${token}` }, body: body() });
    expect(withCharset.status).toBe(202);
    const gzip = await bot.handleRequest({ headers: { ...json, 'content-encoding': 'gzip', authorization: `Bearer ${token}` }, body: body() });
    expect(gzip).toMatchObject({ status: 415, body: { error: { code: 'unsupported_encoding' } } });
  });

  it('calls a lazy body reader only once the token was accepted', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    const reader = jest.fn(async () => body());
    for (const authorization of [undefined, 'Basic dXNlcjpwYXNz', 'Bearer not-a-jwt', `Bearer ${await signToken(key, { aud: 'someone-else' })}`]) {
      const answer = await bot.handleRequest({ headers: { ...json, ...(authorization ? { authorization } : {}) }, body: reader });
      expect(answer.status).toBe(401);
    }
    expect(reader).not.toHaveBeenCalled();
    expect(await bot.handleRequest({ headers: { ...json, authorization: `Bearer ${token}` }, body: reader })).toEqual({ status: 202 });
    expect(reader).toHaveBeenCalledTimes(1);
    expect(rec.of('operationCompleted')).toHaveLength(1);
  });

  it('accepts a lazy reader of bytes or of an already parsed body, and answers 400 when what it reads is not JSON', async () => {
    const bot = newBot();
    const headers = { ...json, authorization: `Bearer ${token}` };
    expect((await bot.handleRequest({ headers, body: async () => Buffer.from(body()) })).status).toBe(202);
    expect((await bot.handleRequest({ headers, body: async () => JSON.parse(body()) as unknown })).status).toBe(202);
    expect(await bot.handleRequest({ headers, body: async () => '{"value": [' })).toMatchObject({ status: 400, body: { error: { code: 'invalid_json' } } });
  });

  it.each([
    ['payload_too_large', 413],
    ['body_timeout', 408],
    ['body_incomplete', 400],
  ] as const)('answers a reader that fails with %s with %p', async (code, status) => {
    const bot = newBot();
    const rec = recordEvents(bot);
    const answer = await bot.handleRequest({
      headers: { ...json, authorization: `Bearer ${token}` },
      body: async () => {
        throw new GraphCommsError(code, 'the body could not be read');
      },
    });
    expect(answer).toMatchObject({ status, body: { error: { code } } });
    expect(rec.events).toHaveLength(0);
  });

  it('answers 500 when a reader fails for an unforeseen reason', async () => {
    const bot = newBot();
    const answer = await bot.handleRequest({
      headers: { ...json, authorization: `Bearer ${token}` },
      body: async () => {
        throw new Error('socket exploded');
      },
    });
    expect(answer).toMatchObject({ status: 500, body: { error: { code: 'internal_error' } } });
  });

  it('verifies nothing when tokenVerifier is false', async () => {
    const bot = new CallingBot({ logger: false, appId: APP_ID, tokenVerifier: false });
    bots.push(bot);
    expect((await bot.handleRequest({ headers: json, body: body() })).status).toBe(202);
  });
});
