import { describe, it, expect, beforeAll, afterEach } from '@jest/globals';
import { CallingBot, createGraphTokenVerifier } from '@graph-comms/core';
import type { BodyOptions, CallbackReceiver } from '@graph-comms/core/http';
import { seed } from '../helpers/fixtures.js';
import { recordEvents } from '../helpers/recorder.js';
import { APP_ID, makeKey, nowSeconds, signToken, type TestKey } from '../../packages/core/test/auth/helpers.js';
import { capture, SwitchableStore, type LogLine } from './suite-bot.js';
import type { TestAnswer, TestRequest, Transport } from './transport.js';

/** An adapter serving `bot` on the callback route, and how to reach it. */
export interface Served {
  send: Transport;
  close(): Promise<void>;
}

/** Serves a bot with one adapter; rejects (with the adapter's `TypeError`) on invalid options. */
export type StartAdapter = (bot: CallbackReceiver, options: BodyOptions) => Promise<Served>;

/** The lines at warn and error: debug and info lines (telemetry, tracing) may come and go. */
const notable = (lines: LogLine[]): LogLine[] => lines.filter((line) => line.level === 'warn' || line.level === 'error');

const errorCode = (answer: TestAnswer): string | undefined => (JSON.parse(answer.body) as { error?: { code?: string } }).error?.code;

/**
 * The behaviour every adapter shares, run against one: real bots with real token verification (a
 * key made and tokens signed by the test), through the adapter's real server (or its handler
 * called directly, for `directTransport`).
 */
export function adapterSuite(name: string, start: StartAdapter): void {
  let key: TestKey;
  let otherKey: TestKey;
  let token: string;
  beforeAll(async () => {
    key = await makeKey('suite-key');
    otherKey = await makeKey('suite-key'); // same kid, other key: its signatures do not verify
    token = await signToken(key);
  });

  const open: Array<{ served: Served; bot: CallingBot }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map(async ({ served, bot }) => (await served.close(), await bot.close())));
  });

  async function serve(options: BodyOptions = {}) {
    const store = new SwitchableStore();
    const log = capture();
    const tokenVerifier = createGraphTokenVerifier({ appId: APP_ID, jwks: { keys: [key.jwk] }, logger: false });
    const bot = new CallingBot({ appId: APP_ID, store, tokenVerifier, logger: log.logger });
    const served = await start(bot, options);
    open.push({ served, bot });
    const rec = recordEvents(bot);
    return { bot, store, rec, log: log.lines, send: served.send };
  }

  const json = (extra: Record<string, string> = {}): Record<string, string> => ({ 'content-type': 'application/json', authorization: `Bearer ${token}`, ...extra });
  const callback = (): string => JSON.stringify(seed('ex1-invite-one', 'notification-operation'));
  const post = (send: Transport, body: string, headers: Record<string, string> = json()): Promise<TestAnswer> => send({ headers, parts: [body] });
  /** Headers and a declared 1 MB body that never comes. */
  const stalled = (headers: Record<string, string>): TestRequest => ({ headers, declaredLength: 1024 * 1024 - 1, stall: true });

  describe(`${name}: callbacks`, () => {
    it('answers 202 to a verified callback and the bot emits its event', async () => {
      const { send, rec } = await serve();
      const answer = await post(send, callback());
      expect(answer.status).toBe(202);
      expect(rec.of('operationCompleted')).toHaveLength(1);
    });

    it('answers 400 invalid_json to a body that is not JSON', async () => {
      const { send, rec } = await serve();
      const answer = await post(send, '{"value": [');
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toEqual({ error: { code: 'invalid_json', message: expect.any(String) } });
      expect(rec.events).toEqual([]);
    });

    it('answers 400 notification_invalid to JSON that is not a commsNotifications body', async () => {
      const { send } = await serve();
      const answer = await post(send, JSON.stringify({ value: 'nope' }));
      expect(answer.status).toBe(400);
      expect(errorCode(answer)).toBe('notification_invalid');
    });

    it('answers 503 with Retry-After while the store fails, and 202 once it works again', async () => {
      const { send, store, rec } = await serve();
      store.failing = true;
      const refused = await post(send, callback());
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('1');
      expect(rec.of('operationCompleted')).toHaveLength(0);
      store.failing = false;
      expect((await post(send, callback())).status).toBe(202);
      expect(rec.of('operationCompleted')).toHaveLength(1);
    });

    it('answers 503 once the bot is closed', async () => {
      const { send, bot, rec } = await serve();
      await bot.close();
      const answer = await post(send, callback());
      expect(answer.status).toBe(503);
      expect(rec.events).toEqual([]);
    });
  });

  describe(`${name}: the token before the body`, () => {
    it.each<[string, () => Promise<Record<string, string>>, string]>([
      ['no token', async () => ({ 'content-type': 'application/json' }), 'missing_token'],
      ['a token signed by another key', async () => json({ authorization: `Bearer ${await signToken(otherKey)}` }), 'invalid_signature'],
      ['an expired token', async () => json({ authorization: `Bearer ${await signToken(key, { iat: nowSeconds() - 7200, nbf: nowSeconds() - 7200, exp: nowSeconds() - 3600 })}` }), 'expired'],
    ])('answers 401 to %s at once, its stalled body unread, and closes the connection', async (_case, headers, code) => {
      // Reading the body first would wait for bytes that never come: no 401 within the wait.
      const { send, rec, log } = await serve({ bodyTimeoutMs: 60_000 });
      const sent = await headers();
      const answer = await send(stalled(sent));
      expect(answer.status).toBe(401);
      expect(errorCode(answer)).toBe(code);
      expect(answer.headers['www-authenticate']).toBe(`Bearer error="invalid_token", error_description="${code}"`);
      expect(answer.closed).toBe(true);
      expect(rec.events).toEqual([]);
      const bearer = sent['authorization']?.slice('Bearer '.length);
      if (bearer) {
        expect(answer.body).not.toContain(bearer.split('.')[2]);
        expect(JSON.stringify(log)).not.toContain(bearer.split('.')[2]);
      }
    });

    it('answers 401 to a bad token whose body came in full', async () => {
      const { send } = await serve();
      const answer = await post(send, callback(), json({ authorization: 'Bearer not-a-jwt' }));
      expect(answer.status).toBe(401);
      expect(errorCode(answer)).toBe('malformed_token');
    });
  });

  describe(`${name}: bodies refused`, () => {
    it.each<[string, Record<string, string>, string]>([
      ['a content type other than JSON', { 'content-type': 'text/plain' }, 'unsupported_media_type'],
      ['a form', { 'content-type': 'application/x-www-form-urlencoded' }, 'unsupported_media_type'],
      ['a compressed body', { 'content-encoding': 'gzip' }, 'unsupported_encoding'],
    ])('answers 415 to %s, from its headers, and logs it at warn', async (_case, headers, code) => {
      const { send, log } = await serve();
      const answer = await send(stalled(json(headers)));
      expect(answer.status).toBe(415);
      expect(errorCode(answer)).toBe(code);
      expect(answer.closed).toBe(true);
      expect(notable(log)).toEqual([{ level: 'warn', fields: expect.objectContaining({ reason: code, status: 415 }), message: expect.stringContaining('callback refused') }]);
      expect(JSON.stringify(log)).not.toContain(token.split('.')[2]);
    });

    it('answers 413 to a declared Content-Length above the limit before a byte is sent, logs it, and stays up', async () => {
      const { send, log } = await serve({ limit: '1kb' });
      const answer = await send({ headers: json(), declaredLength: 10 * 1024 * 1024, stall: true });
      expect(answer.status).toBe(413);
      expect(errorCode(answer)).toBe('payload_too_large');
      expect(answer.closed).toBe(true);
      expect(notable(log)).toEqual([{ level: 'warn', fields: expect.objectContaining({ reason: 'payload_too_large', status: 413 }), message: expect.stringContaining('callback refused') }]);
      expect(JSON.stringify(log)).not.toContain(token.split('.')[2]);
      expect((await post(send, callback())).status).toBe(202);
    });

    it('answers 413 to a chunked body that grows past the limit, logs it, and stays up', async () => {
      const { send, log, rec } = await serve({ limit: 2048 });
      const kilobyte = ' '.repeat(1024);
      const answer = await send({ headers: json(), framing: 'chunked', parts: ['{"value": [', kilobyte, kilobyte, kilobyte, ']}'] });
      expect(answer.status).toBe(413);
      expect(errorCode(answer)).toBe('payload_too_large');
      expect(notable(log)).toEqual([{ level: 'warn', fields: expect.objectContaining({ reason: 'payload_too_large', status: 413 }), message: expect.stringContaining('callback refused') }]);
      expect(rec.events).toEqual([]);
      expect((await post(send, callback())).status).toBe(202);
    });

    it('accepts a chunked body within the limit', async () => {
      const { send, rec } = await serve({ limit: 64 * 1024 });
      const raw = callback();
      const half = Math.floor(raw.length / 2);
      const answer = await send({ headers: json(), framing: 'chunked', parts: [raw.slice(0, half), raw.slice(half)] });
      expect(answer.status).toBe(202);
      expect(rec.of('operationCompleted')).toHaveLength(1);
    });

    it('answers 408 body_timeout when a verified body stalls past bodyTimeoutMs, and closes the connection', async () => {
      const { send, log } = await serve({ bodyTimeoutMs: 200 });
      const answer = await send({ headers: json(), parts: ['{"value": ['], declaredLength: 1000, stall: true });
      expect(answer.status).toBe(408);
      expect(errorCode(answer)).toBe('body_timeout');
      expect(answer.closed).toBe(true);
      expect(notable(log)).toEqual([{ level: 'warn', fields: expect.objectContaining({ reason: 'body_timeout' }), message: expect.stringContaining('callback refused') }]);
      expect((await post(send, callback())).status).toBe(202);
    });
  });

  describe(`${name}: options`, () => {
    it.each<[string, BodyOptions]>([
      ['a limit that is not a size', { limit: 'lots' }],
      ['a limit of 0', { limit: 0 }],
      ['a negative bodyTimeoutMs', { bodyTimeoutMs: -1 }],
      ['a bodyTimeoutMs that is not a number', { bodyTimeoutMs: Number.NaN }],
    ])('refuses %s with a TypeError', async (_case, options) => {
      const bot = new CallingBot({ appId: APP_ID, tokenVerifier: false, logger: false });
      try {
        await expect(start(bot, options)).rejects.toThrow(TypeError);
      } finally {
        await bot.close();
      }
    });

    it('refuses a bot without handleRequest with a TypeError', async () => {
      await expect(start({} as CallbackReceiver, {})).rejects.toThrow(/handleRequest/);
    });
  });
}
