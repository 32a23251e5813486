import type { Server } from 'node:http';
import { Hono } from 'hono';
import { createAdaptorServer } from '@hono/node-server';
import { createWebHandler } from '@graph-comms/core';
import { adapterSuite } from './suite.js';
import { listen, shut } from './servers.js';
import { socketTransport } from './transport.js';

adapterSuite('web handler in Hono on @hono/node-server', async (bot, options) => {
  const handler = createWebHandler(bot, options);
  const app = new Hono();
  app.post('/api/calls', (c) => handler(c.req.raw));
  // The Node server @hono/node-server makes, not yet listening: the test picks the port.
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const port = await listen(server);
  return { send: socketTransport(port), close: () => shut(server) };
});
