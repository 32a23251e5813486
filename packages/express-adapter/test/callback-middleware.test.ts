import { describe, it, expect, beforeAll, afterEach } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { CallingBot, createGraphTokenVerifier, MemoryCallStore, type CallRecord, type Step } from '@graph-comms/core';
import { createCallbackMiddleware, parseLimit } from '@graph-comms/express-adapter';
import { seed } from '../../../test/helpers/fixtures.js';
import { recordEvents } from '../../../test/helpers/recorder.js';
import { APP_ID, makeKey, signToken, type TestKey } from '../../core/test/auth/helpers.js';

let key: TestKey;
let token: string;
beforeAll(async () => {
  key = await makeKey('adapter-key');
  token = await signToken(key);
});

class SwitchableStore extends MemoryCallStore {
  failing = false;
  override async updateCall<T>(callId: string, step: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
    if (this.failing) throw new Error('store down');
    return super.updateCall(callId, step);
  }
}

interface Running {
  url: string;
  bot: CallingBot;
  store: SwitchableStore;
  close(): Promise<void>;
}
const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function start(options: { globalJson?: boolean; limit?: number | string } = {}): Promise<Running> {
  const store = new SwitchableStore();
  const bot = new CallingBot({ appId: APP_ID, store, tokenVerifier: createGraphTokenVerifier({ appId: APP_ID, jwks: { keys: [key.jwk] } }) });
  const app = express();
  if (options.globalJson) app.use(express.json());
  app.post('/api/calls', createCallbackMiddleware(bot, options.limit === undefined ? {} : { limit: options.limit }));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const r: Running = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`,
    bot,
    store,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bot.close();
    },
  };
  running.push(r);
  return r;
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers } });
const seedBody = () => JSON.stringify(seed('ex1-invite-one', 'notification-operation'));

/** Sends a large body with node:http and takes the answer even if the server closes while we still write. */
function postLarge(url: string, size: number, declareLength: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const req = httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(declareLength ? { 'content-length': String(size) } : {}) },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', (error) => (req.writableEnded ? undefined : reject(error)));
    let sent = 0;
    const pump = (): void => {
      while (sent < size && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('createCallbackMiddleware over real HTTP', () => {
  it('answers 202 to a verified seed callback and the bot emits its event', async () => {
    const r = await start();
    const rec = recordEvents(r.bot);
    const res = await post(r.url, seedBody());
    expect(res.status).toBe(202);
    expect(rec.of('operationCompleted')).toHaveLength(1);
  });

  it('works behind a global express.json()', async () => {
    const r = await start({ globalJson: true });
    const rec = recordEvents(r.bot);
    expect((await post(r.url, seedBody())).status).toBe(202);
    expect(rec.of('operationCompleted')).toHaveLength(1);
  });

  it('answers 400 with a JSON reason to a body that is not JSON, or not commsNotifications', async () => {
    const r = await start();
    const bad = await post(r.url, '{"value": [');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'invalid_json', message: expect.any(String) } });
    const notComms = await post(r.url, JSON.stringify({ value: 'nope' }));
    expect(notComms.status).toBe(400);
    expect(((await notComms.json()) as { error: { code: string } }).error.code).toBe('notification_invalid');
  });

  it('answers 400 behind a global express.json() to a body that is not commsNotifications', async () => {
    const r = await start({ globalJson: true });
    expect((await post(r.url, JSON.stringify([1, 2]))).status).toBe(400);
  });

  it('answers 401 with WWW-Authenticate and never echoes the token', async () => {
    const r = await start();
    const wrongAudience = await signToken(key, { aud: 'someone-else' });
    const res = await post(r.url, seedBody(), { authorization: `Bearer ${wrongAudience}` });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token", error_description="invalid_audience"');
    const text = await res.text();
    expect(text).not.toContain(wrongAudience.split('.')[2]);
    expect(JSON.parse(text).error.code).toBe('invalid_audience');
    const none = await fetch(r.url, { method: 'POST', body: seedBody(), headers: { 'content-type': 'application/json' } });
    expect(none.status).toBe(401);
  });

  it('answers 415 to a content type other than JSON, and to a compressed body', async () => {
    const r = await start();
    expect((await post(r.url, seedBody(), { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(r.url, seedBody(), { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await post(r.url, seedBody(), { 'content-encoding': 'gzip' })).status).toBe(415);
  });

  it('answers 413 to a 10 MB body, declared or chunked, and stays up', async () => {
    const r = await start();
    const declared = await postLarge(r.url, 10 * 1024 * 1024, true);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error.code).toBe('payload_too_large');
    const chunked = await postLarge(r.url, 10 * 1024 * 1024, false);
    expect(chunked.status).toBe(413);
    expect((await post(r.url, seedBody())).status).toBe(202);
  });

  it('honours a custom limit', async () => {
    const r = await start({ limit: '1kb' });
    const padded = JSON.stringify({ ...seed('ex1-invite-one', 'notification-operation'), pad: 'x'.repeat(2000) });
    expect((await post(r.url, padded)).status).toBe(413);
    const small = await start({ limit: 64 * 1024 });
    expect((await post(small.url, padded)).status).toBe(202);
  });

  it('answers 503 when the store cannot record, and 202 once it can (nothing acknowledged is lost)', async () => {
    const r = await start();
    const rec = recordEvents(r.bot);
    r.store.failing = true;
    const refused = await post(r.url, seedBody());
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(rec.of('operationCompleted')).toHaveLength(0);
    r.store.failing = false;
    expect((await post(r.url, seedBody())).status).toBe(202);
    expect(rec.of('operationCompleted')).toHaveLength(1);
  });

  it('is not polluted by __proto__ or constructor.prototype keys', async () => {
    const r = await start();
    const rec = recordEvents(r.bot);
    const hostile = `{"value":[{"changeType":"updated","resourceUrl":"/communications/calls/c1","resourceData":{"state":"established","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}],"__proto__":{"polluted":true}}`;
    expect((await post(r.url, hostile)).status).toBe(202);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(rec.of('callUpdated')[0]!.state).toBe('established');
  });

  it('still answers 202 when a listener throws, and the error event fires', async () => {
    const r = await start();
    const errors: string[] = [];
    r.bot.on('error', (e) => void errors.push(e.message));
    r.bot.on('operationCompleted', () => {
      throw new Error('listener exploded');
    });
    expect((await post(r.url, seedBody())).status).toBe(202);
    expect(errors).toEqual(['listener exploded']);
  });
});

describe('parseLimit', () => {
  it.each([
    [1024, 1024],
    ['1mb', 1024 * 1024],
    ['512kb', 512 * 1024],
    ['100', 100],
  ])('reads %p as %p bytes', (input, bytes) => expect(parseLimit(input)).toBe(bytes));
  it.each([['lots'], [0], [-5], ['1tb']])('refuses %p', (input) => expect(() => parseLimit(input as string)).toThrow(TypeError));
});
