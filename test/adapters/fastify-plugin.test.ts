import { describe, it, expect, afterEach } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { CallingBot } from '@graph-comms/core';
import { graphCommsCallbacks, type GraphCommsCallbacksOptions } from '../../packages/fastify-adapter/src/index.js';

// What is Fastify's own: the plugin's parser stays inside it, and it fits under a prefix.
const apps: FastifyInstance[] = [];
const bots: CallingBot[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await Promise.all(bots.splice(0).map((bot) => bot.close()));
});
const newBot = (): CallingBot => {
  const bot = new CallingBot({ appId: 'app', tokenVerifier: false, logger: false });
  bots.push(bot);
  return bot;
};

async function start(register: (app: FastifyInstance) => void): Promise<string> {
  const app = Fastify({ forceCloseConnections: true });
  apps.push(app);
  register(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

const postJson = (url: string, body: string) => fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

describe('graphCommsCallbacks', () => {
  it("leaves the rest of the app's body parsing as it was", async () => {
    const base = await start((app) => {
      app.register(graphCommsCallbacks, { bot: newBot(), path: '/api/calls' });
      app.post('/echo', async (request) => ({ got: request.body }));
    });
    const echo = await postJson(`${base}/echo`, '{"a":1}');
    expect(await echo.json()).toEqual({ got: { a: 1 } });
    expect((await postJson(`${base}/api/calls`, '{"value": 5}')).status).toBe(400);
  });

  it('serves its path under the prefix it is registered with', async () => {
    const base = await start((app) => void app.register(graphCommsCallbacks, { bot: newBot(), path: '/calls', prefix: '/api' }));
    expect((await postJson(`${base}/api/calls`, '{"value": 5}')).status).toBe(400);
    expect((await postJson(`${base}/calls`, '{"value": 5}')).status).toBe(404);
  });

  it.each([[undefined], ['calls'], [7]])('refuses the path %p with a TypeError', async (path) => {
    const app = Fastify();
    apps.push(app);
    await expect(app.register(graphCommsCallbacks, { bot: newBot(), path } as unknown as GraphCommsCallbacksOptions)).rejects.toThrow(/path must be a string/);
  });
});
