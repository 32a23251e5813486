import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { graphCommsCallbacks } from '../../packages/fastify-adapter/src/index.js';
import { adapterSuite } from './suite.js';
import { socketTransport } from './transport.js';

adapterSuite('Fastify', async (bot, options) => {
  const app = Fastify({ forceCloseConnections: true });
  try {
    await app.register(graphCommsCallbacks, { bot, path: '/api/calls', ...options });
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (error) {
    await app.close();
    throw error;
  }
  return { send: socketTransport((app.server.address() as AddressInfo).port), close: () => app.close() };
});
