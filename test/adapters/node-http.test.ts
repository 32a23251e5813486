import { createServer } from 'node:http';
import { createNodeHandler } from '@graph-comms/core';
import { adapterSuite } from './suite.js';
import { listen, shut } from './servers.js';
import { socketTransport } from './transport.js';

adapterSuite('node:http', async (bot, options) => {
  const server = createServer(createNodeHandler(bot, { ...options, path: '/api/calls' }));
  const port = await listen(server);
  return { send: socketTransport(port), close: () => shut(server) };
});
