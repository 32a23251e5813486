import { describe, it, expect, beforeAll, afterEach } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { CallingBot, createGraphTokenVerifier, MemoryCallStore, type CallRecord, type Step } from '@graph-comms/core';
import { createCallbackMiddleware, parseLimit, type CallbackMiddlewareOptions } from '@graph-comms/express-adapter';
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
  port: number;
  bot: CallingBot;
  store: SwitchableStore;
  close(): Promise<void>;
}
const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function start(options: { globalJson?: boolean } & CallbackMiddlewareOptions = {}): Promise<Running> {
  const { globalJson, ...middlewareOptions } = options;
  const store = new SwitchableStore();
  const bot = new CallingBot({ appId: APP_ID, store, tokenVerifier: createGraphTokenVerifier({ appId: APP_ID, jwks: { keys: [key.jwk] } }) });
  const app = express();
  if (globalJson) app.use(express.json());
  app.post('/api/calls', createCallbackMiddleware(bot, middlewareOptions));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const r: Running = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`,
    port: (server.address() as AddressInfo).port,
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

/** What a raw connection got back: the answer (status 0 if none) and whether the server closed the connection. */
interface RawAnswer {
  status: number;
  head: string;
  body: string;
  closedByServer: boolean;
  elapsedMs: number;
}

function parseAnswer(received: Buffer): Omit<RawAnswer, 'closedByServer' | 'elapsedMs'> & { complete: boolean } {
  const text = received.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, head: '', body: '', complete: false };
  const head = text.slice(0, end);
  const body = text.slice(end + 4);
  const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? NaN);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body, complete: Number.isFinite(length) && Buffer.byteLength(body, 'latin1') >= length };
}

/**
 * Sends a request head and then `parts` of the body, `gapMs` apart, over a raw socket, and resolves
 * once a whole answer came back and the server closed the connection, or after `waitMs`.
 */
function rawRequest(port: number, headers: Record<string, string>, parts: string[] = [], options: { gapMs?: number; waitMs?: number } = {}): Promise<RawAnswer> {
  const { gapMs = 0, waitMs = 3000 } = options;
  return new Promise((resolve) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closedByServer = false;
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const { complete: _complete, ...answer } = parseAnswer(Buffer.concat(chunks));
      resolve({ ...answer, closedByServer, elapsedMs: Date.now() - started });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (data: Buffer) => void chunks.push(data));
    socket.on('end', () => ((closedByServer = true), finish()));
    socket.on('error', () => undefined); // writing after the server closed
    const head = Object.entries({ host: `127.0.0.1:${port}`, ...headers }).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.write(`POST /api/calls HTTP/1.1\r\n${head}\r\n`);
    parts.forEach((part, i) => setTimeout(() => socket.destroyed || socket.write(part), gapMs * (i + 1)));
  });
}

/**
 * Declares a `size`-byte body and sends all of it but its last byte, a chunk every few milliseconds,
 * like a slow client. Resolves once the server closed the connection (with an answer, or with a reset
 * when it closed while body bytes were unread) or everything but that byte was sent.
 */
function slowSender(port: number, size: number, chunk: Buffer): Promise<{ status: number; closedByServer: boolean; socket: Socket }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closedByServer = false;
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      resolve({ status: parseAnswer(Buffer.concat(chunks)).status, closedByServer, socket });
    };
    socket.on('data', (data: Buffer) => void chunks.push(data));
    socket.on('end', () => ((closedByServer = true), settle()));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') closedByServer = true;
    });
    socket.on('close', settle);
    socket.write(`POST /api/calls HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: ${size}\r\n\r\n`);
    let sent = 0;
    const pump = (): void => {
      if (socket.destroyed || closedByServer || sent >= size - 1) return settle();
      const piece = chunk.subarray(0, Math.min(chunk.length, size - 1 - sent));
      sent += piece.length;
      if (socket.write(piece)) setTimeout(pump, 5);
      else socket.once('drain', () => setTimeout(pump, 5));
    };
    setTimeout(pump, 5);
  });
}

/** Heap and buffer memory after a full collection (tests run with --expose-gc). */
function memoryInUse(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

describe('createCallbackMiddleware: the token before the body', () => {
  it('answers 401 at once to a request without Authorization whose 1 MB body never comes, and closes the connection', async () => {
    const r = await start();
    const answer = await rawRequest(r.port, { 'content-type': 'application/json', 'content-length': '1048575' });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual({ error: { code: 'missing_token', message: expect.any(String) } });
    expect(answer.head).toMatch(/^connection: close$/im);
    expect(answer.closedByServer).toBe(true);
    expect(answer.elapsedMs).toBeLessThan(1000);
  });

  it('answers 401 at once to a bad token whose body never comes, and to one whose body came in full', async () => {
    const r = await start();
    const wrongAudience = await signToken(key, { aud: 'someone-else' });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${wrongAudience}` };
    const stalled = await rawRequest(r.port, { ...headers, 'content-length': '1048575' });
    expect(stalled).toMatchObject({ status: 401, closedByServer: true });
    expect(stalled.elapsedMs).toBeLessThan(1000);
    const full = await post(r.url, seedBody(), { authorization: `Bearer ${wrongAudience}` });
    expect(full.status).toBe(401);
    expect(((await full.json()) as { error: { code: string } }).error.code).toBe('invalid_audience');
  });

  it('holds no memory for the bodies of 50 unauthenticated connections that each send 1 MB - 1 byte slowly', async () => {
    const r = await start();
    const chunk = Buffer.alloc(16 * 1024, 0x20); // one buffer shared by every client: the clients cost next to nothing
    const before = memoryInUse();
    const clients = await Promise.all(Array.from({ length: 50 }, () => slowSender(r.port, 1024 * 1024, chunk)));
    const grown = memoryInUse() - before;
    for (const client of clients) client.socket.destroy();
    // Each was answered 401 at once and closed; a client still writing may see the close as a reset
    // before it reads the answer (the kernel resets a connection closed with unread bytes).
    expect(clients.filter((c) => !c.closedByServer || (c.status !== 401 && c.status !== 0))).toEqual([]);
    expect(grown).toBeLessThan(20 * 1024 * 1024);
    expect((await post(r.url, seedBody())).status).toBe(202); // and the bot still answers
  });

  it('answers 408 with a JSON error when a verified body has not arrived within bodyTimeoutMs, and closes the connection', async () => {
    const r = await start({ bodyTimeoutMs: 200 });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': '1000' };
    const answer = await rawRequest(r.port, headers, ['{"value": ['], { waitMs: 3000 });
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toEqual({ error: { code: 'body_timeout', message: expect.any(String) } });
    expect(answer.closedByServer).toBe(true);
    expect(answer.elapsedMs).toBeGreaterThanOrEqual(180);
    expect(answer.elapsedMs).toBeLessThan(1500);
    expect((await post(r.url, seedBody())).status).toBe(202);
  });

  it('accepts a verified body that trickles in within bodyTimeoutMs', async () => {
    const r = await start({ bodyTimeoutMs: 1000 });
    const rec = recordEvents(r.bot);
    const raw = seedBody();
    const half = Math.floor(raw.length / 2);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': String(Buffer.byteLength(raw)) };
    const answer = await rawRequest(r.port, headers, [raw.slice(0, half), raw.slice(half)], { gapMs: 100, waitMs: 600 });
    expect(answer.status).toBe(202);
    expect(rec.of('operationCompleted')).toHaveLength(1);
  });

  it('refuses a bad bodyTimeoutMs at once', () => {
    const bot = new CallingBot({ appId: APP_ID, tokenVerifier: false });
    for (const bodyTimeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => createCallbackMiddleware(bot, { bodyTimeoutMs })).toThrow(TypeError);
    void bot.close();
  });
});

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
