import { describe, it, expect, beforeAll, afterEach } from '@jest/globals';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import express4 from 'express4';
import { CallingBot, createGraphTokenVerifier, MemoryCallStore } from '@graph-comms/core';
import { createCallbackMiddleware, type CallbackMiddlewareOptions } from '@graph-comms/express-adapter';
import { seed } from '../../../test/helpers/fixtures.js';
import { recordEvents } from '../../../test/helpers/recorder.js';
import { APP_ID, makeKey, signToken, type TestKey } from '../../core/test/auth/helpers.js';

let key: TestKey;
let token: string;
beforeAll(async () => {
  key = await makeKey('adapter-key');
  token = await signToken(key);
});

interface Running {
  url: string;
  port: number;
  bot: CallingBot;
  close(): Promise<void>;
}
const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function start(options: { globalJson?: boolean; express4?: boolean } & CallbackMiddlewareOptions = {}): Promise<Running> {
  const { globalJson, express4: four, ...middlewareOptions } = options;
  const store = new MemoryCallStore();
  const bot = new CallingBot({ appId: APP_ID, store, logger: false, tokenVerifier: createGraphTokenVerifier({ appId: APP_ID, jwks: { keys: [key.jwk] }, logger: false }) });
  const framework = four ? express4 : express;
  const app = framework();
  if (globalJson) app.use(framework.json());
  app.post('/api/calls', createCallbackMiddleware(bot, middlewareOptions));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const r: Running = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`,
    port: (server.address() as AddressInfo).port,
    bot,
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

/** What a raw connection got back: the answer (status 0 if none) and whether the server closed the connection. */
interface RawAnswer {
  status: number;
  head: string;
  body: string;
  closedByServer: boolean;
}

function parseAnswer(received: Buffer): Omit<RawAnswer, 'closedByServer'> & { complete: boolean } {
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
    const socket: Socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let closedByServer = false;
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const { complete: _complete, ...answer } = parseAnswer(Buffer.concat(chunks));
      resolve({ ...answer, closedByServer });
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

// What every adapter does (202, 400, 401, 408, 413, 415, 503, options) is tested once for all of
// them by test/adapters/suite.ts; here are what is Express's own, and the load cases.

describe('createCallbackMiddleware behind a body parser', () => {
  it.each([
    ['Express 5', false],
    ['Express 4', true],
  ])('accepts a body a global json() already parsed (%s)', async (_name, four) => {
    const r = await start({ globalJson: true, express4: four });
    const rec = recordEvents(r.bot);
    expect((await post(r.url, seedBody())).status).toBe(202);
    expect(rec.of('operationCompleted')).toHaveLength(1);
  });

  it.each([
    ['Express 5', false],
    ['Express 4', true],
  ])('answers 400 behind a global json() to a body that is not commsNotifications (%s)', async (_name, four) => {
    const r = await start({ globalJson: true, express4: four });
    const answer = await post(r.url, JSON.stringify([1, 2]));
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('notification_invalid');
  });

  it('still refuses a bad token behind a global json()', async () => {
    const r = await start({ globalJson: true });
    const answer = await post(r.url, seedBody(), { authorization: 'Bearer not-a-jwt' });
    expect(answer.status).toBe(401);
  });
});

describe('createCallbackMiddleware under load', () => {
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

  it('accepts a verified body that trickles in within bodyTimeoutMs', async () => {
    const r = await start({ bodyTimeoutMs: 5000 });
    const rec = recordEvents(r.bot);
    const raw = seedBody();
    const half = Math.floor(raw.length / 2);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': String(Buffer.byteLength(raw)) };
    const answer = await rawRequest(r.port, headers, [raw.slice(0, half), raw.slice(half)], { gapMs: 100, waitMs: 1500 });
    expect(answer.status).toBe(202);
    expect(rec.of('operationCompleted')).toHaveLength(1);
  });

  it('answers the next request after a client that went away mid-body', async () => {
    const r = await start();
    const socket = connect(r.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.write(`POST /api/calls HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nauthorization: Bearer ${token}\r\ncontent-length: 1000\r\n\r\n{"value": [`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    expect((await post(r.url, seedBody())).status).toBe(202);
  });
});

describe('createCallbackMiddleware and hostile bodies', () => {
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
