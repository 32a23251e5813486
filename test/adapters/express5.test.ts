import { createServer } from 'node:http';
import express from 'express';
import { createCallbackMiddleware } from '@graph-comms/express-adapter';
import { adapterSuite } from './suite.js';
import { listen, shut } from './servers.js';
import { socketTransport } from './transport.js';

adapterSuite('Express 5', async (bot, options) => {
  const app = express();
  app.post('/api/calls', createCallbackMiddleware(bot, options));
  const server = createServer(app);
  const port = await listen(server);
  return { send: socketTransport(port), close: () => shut(server) };
});
