import { describe, it, expect, afterEach } from '@jest/globals';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { CallingBot, createNodeHandler, createWebHandler } from '@graph-comms/core';
import { listen, shut } from './servers.js';

// What the node:http and web handlers do with requests that are not callbacks. The bot verifies no
// token here: a request that reaches it is answered 400 (its body is not JSON), not 404 or 405.
const bots: CallingBot[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await Promise.all(bots.splice(0).map((bot) => bot.close()));
});
const newBot = (): CallingBot => {
  const bot = new CallingBot({ appId: 'app', tokenVerifier: false, logger: false });
  bots.push(bot);
  return bot;
};

async function serve(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(listener);
  const port = await listen(server);
  closers.push(() => shut(server));
  return `http://127.0.0.1:${port}`;
}

const send = (url: string, method = 'POST') => fetch(url, method === 'POST' ? { method, body: 'x', headers: { 'content-type': 'application/json' } } : { method });

describe('createNodeHandler routing', () => {
  it('answers 404 to another path and 405 with Allow to another method when there is no next', async () => {
    const base = await serve(createNodeHandler(newBot(), { path: '/api/calls' }));
    expect((await send(`${base}/elsewhere`)).status).toBe(404);
    const get = await send(`${base}/api/calls`, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await send(`${base}/api/calls?x=1`)).status).toBe(400);
  });

  it('passes what is not a callback to next, as connect-style middleware', async () => {
    const handler = createNodeHandler(newBot(), { path: '/api/calls' });
    const base = await serve((req, res) => handler(req, res, () => void res.writeHead(299).end('next')));
    const other = await send(`${base}/health`, 'GET');
    expect(other.status).toBe(299);
    expect(await other.text()).toBe('next');
    expect((await send(`${base}/api/calls`, 'PUT')).status).toBe(299);
    expect((await send(`${base}/api/calls`)).status).toBe(400);
  });

  it('takes every POST as a callback without a path', async () => {
    const base = await serve(createNodeHandler(newBot()));
    expect((await send(`${base}/anything`)).status).toBe(400);
  });

  it.each([['api/calls'], [42]])('refuses the path %p with a TypeError', (path) => {
    expect(() => createNodeHandler(newBot(), { path: path as string })).toThrow(TypeError);
    expect(() => createWebHandler(newBot(), { path: path as string })).toThrow(TypeError);
  });
});

describe('createWebHandler routing', () => {
  const request = (url: string, method = 'POST') => new Request(url, method === 'POST' ? { method, body: 'x', headers: { 'content-type': 'application/json' } } : { method });

  it('answers 405 with Allow to a method other than POST, and 404 to a path other than the one given', async () => {
    const handler = createWebHandler(newBot(), { path: '/api/calls' });
    const get = await handler(request('http://127.0.0.1/api/calls', 'GET'));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await handler(request('http://127.0.0.1/other'))).status).toBe(404);
    expect((await handler(request('http://127.0.0.1/api/calls#x'))).status).toBe(400);
  });

  it('takes every POST as a callback without a path', async () => {
    expect((await createWebHandler(newBot())(request('http://127.0.0.1/anything'))).status).toBe(400);
  });

  it('answers 500 when the receiver breaks its promise and rejects', async () => {
    const broken = { handleRequest: () => Promise.reject(new Error('broken')) };
    const answer = await createWebHandler(broken)(request('http://127.0.0.1/api/calls'));
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    const base = await serve(createNodeHandler(broken));
    expect((await send(`${base}/api/calls`)).status).toBe(500);
  });
});
