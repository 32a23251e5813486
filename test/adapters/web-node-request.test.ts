import { createWebHandler } from '@graph-comms/core';
import { adapterSuite } from './suite.js';
import { directTransport } from './direct-transport.js';

// No server: the handler is called with Node's own Request, and its Response read as it is.
adapterSuite('web handler, called directly', async (bot, options) => {
  const handler = createWebHandler(bot, options);
  return { send: directTransport(handler), close: async () => undefined };
});
