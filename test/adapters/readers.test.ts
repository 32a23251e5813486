import { describe, it, expect, afterEach } from '@jest/globals';
import { createServer, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { GraphCommsError } from '@graph-comms/core';
import { readNodeBody, webBodyReader } from '@graph-comms/core/http';
import { listen, shut } from './servers.js';

const rules = { limit: 1024, timeoutMs: 5000 };
const codeOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof GraphCommsError ? error.code : `not a GraphCommsError: ${String(error)}`),
  );

const stream = (parts: unknown[], end: 'close' | 'error' | 'stall' = 'close') =>
  new ReadableStream<Uint8Array>({
    pull(controller) {
      if (parts.length > 0) return void controller.enqueue(parts.shift() as Uint8Array);
      if (end === 'close') return void controller.close();
      if (end === 'error') return void controller.error(new Error('connection reset'));
      return new Promise<void>(() => undefined);
    },
  });
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('webBodyReader', () => {
  it('reads every chunk, and says the body is complete', async () => {
    const reader = webBodyReader({ body: stream([bytes('{"a":'), bytes('1}')]) }, rules);
    expect(reader.complete).toBe(false);
    expect(new TextDecoder().decode(await reader.read())).toBe('{"a":1}');
    expect(reader.complete).toBe(true);
  });

  it('reads no body as an empty one', async () => {
    const reader = webBodyReader({ body: null }, rules);
    expect(reader.complete).toBe(true);
    expect((await reader.read()).byteLength).toBe(0);
  });

  it.each<[string, () => Parameters<typeof webBodyReader>[0], string]>([
    ['a stream that fails', () => ({ body: stream([bytes('{')], 'error') }), 'body_incomplete'],
    ['a chunk that is not bytes', () => ({ body: stream(['text']) }), 'body_incomplete'],
    ['a body already used', () => ({ body: stream([]), bodyUsed: true }), 'body_incomplete'],
    ['a body past the limit', () => ({ body: stream([new Uint8Array(600), new Uint8Array(600)]) }), 'payload_too_large'],
  ])('fails on %s with %s, and leaves the body incomplete', async (_case, source, code) => {
    const reader = webBodyReader(source(), rules);
    expect(await codeOf(reader.read())).toBe(code);
    expect(reader.complete).toBe(false);
  });

  it('fails with body_incomplete when the request is aborted mid-body, and with body_timeout when it stalls', async () => {
    const controller = new AbortController();
    const aborted = webBodyReader({ body: stream([bytes('{')], 'stall'), signal: controller.signal }, rules).read();
    setTimeout(() => controller.abort(), 20);
    expect(await codeOf(aborted)).toBe('body_incomplete');
    expect(await codeOf(webBodyReader({ body: stream([bytes('{')], 'stall') }, { limit: 1024, timeoutMs: 50 }).read())).toBe('body_timeout');
  });

  it('fails at once with body_incomplete when the signal was aborted before reading', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await codeOf(webBodyReader({ body: stream([], 'stall'), signal: controller.signal }, rules).read())).toBe('body_incomplete');
  });
});

describe('readNodeBody', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => void (await Promise.all(closers.splice(0).map((close) => close()))));

  /** A server that reads each request's body with `read` and reports how the reading ended. */
  async function reading(read: (req: IncomingMessage) => Promise<unknown>) {
    const outcomes: Array<Promise<string>> = [];
    const server = createServer((req, res) => {
      const outcome = codeOf(read(req));
      outcomes.push(outcome);
      void outcome.then(() => res.writeHead(204, { connection: 'close' }).end());
    });
    const port = await listen(server);
    closers.push(() => shut(server));
    return { port, outcomes };
  }

  it('fails with body_incomplete when the client goes away mid-body', async () => {
    const { port, outcomes } = await reading((req) => readNodeBody(req, rules));
    const socket = connect(port, '127.0.0.1');
    socket.write('POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{"value"');
    while (outcomes.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    socket.destroy();
    expect(await outcomes[0]).toBe('body_incomplete');
  });

  it('fails at once with body_incomplete when the client went away before the body was read (while the token was checked)', async () => {
    let left!: () => void;
    const gone = new Promise<void>((resolve) => (left = resolve));
    const { port, outcomes } = await reading(async (req) => {
      req.once('close', left);
      await gone; // the client leaves while the bot still checks the token
      return readNodeBody(req, { limit: 1024, timeoutMs: 60_000 });
    });
    const socket = connect(port, '127.0.0.1');
    socket.write('POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{"value"');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    while (outcomes.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await outcomes[0]).toBe('body_incomplete');
  });

  it('takes a body that arrived in full while the token was checked in one read, with no listener left on the request', async () => {
    let listeners = -1;
    let text = '';
    const { port, outcomes } = await reading(async (req) => {
      while (!req.complete) await new Promise((resolve) => setTimeout(resolve, 2)); // a slow token check
      const body = await readNodeBody(req, rules);
      listeners = req.listenerCount('data') + req.listenerCount('end');
      text = body.toString('utf8');
    });
    await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{"value":[1,2,3]}' });
    expect(await outcomes[0]).toBe('resolved');
    expect(text).toBe('{"value":[1,2,3]}');
    expect(listeners).toBe(0);
  });

  it('refuses a body past the limit with payload_too_large, whether it is still arriving or already buffered', async () => {
    const small = { limit: 16, timeoutMs: 5000 };
    const { port, outcomes } = await reading(async (req) => {
      if (req.headers['x-wait'] === 'yes') while (!req.complete) await new Promise((resolve) => setTimeout(resolve, 2));
      return readNodeBody(req, small);
    });
    const body = JSON.stringify({ value: 'x'.repeat(64) });
    await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body, headers: { 'x-wait': 'yes' } }).catch(() => undefined);
    await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body }).catch(() => undefined);
    while (outcomes.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await Promise.all(outcomes)).toEqual(['payload_too_large', 'payload_too_large']);
  });

  it('times out stalled bodies with body_timeout, each about its own bound after it began, with one timer for all of them', async () => {
    const timing = { limit: 1024, timeoutMs: 120 };
    const began: number[] = [];
    const ended: number[] = [];
    const { port, outcomes } = await reading((req) => {
      began.push(Date.now());
      return readNodeBody(req, timing).finally(() => ended.push(Date.now()));
    });
    const sockets = [connect(port, '127.0.0.1')];
    sockets[0]!.write('POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{"value"');
    await new Promise((resolve) => setTimeout(resolve, 60));
    sockets.push(connect(port, '127.0.0.1'));
    sockets[1]!.write('POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{"value"');
    while (outcomes.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await Promise.all(outcomes)).toEqual(['body_timeout', 'body_timeout']);
    for (const socket of sockets) socket.destroy();
    for (const i of [0, 1]) {
      expect(ended[i]! - began[i]!).toBeGreaterThanOrEqual(timing.timeoutMs - 2);
      expect(ended[i]! - began[i]!).toBeLessThan(timing.timeoutMs + 1000);
    }
  });

  it('fails at once with body_incomplete on a stream someone else consumed', async () => {
    const { port, outcomes } = await reading(async (req) => {
      for await (const _chunk of req); // another handler read it all
      return readNodeBody(req, rules);
    });
    await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' });
    expect(await outcomes[0]).toBe('body_incomplete');
  });
});
