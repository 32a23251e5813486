import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { callStoreConformance } from '@graph-comms/core/testing';
import { storeHarness } from './helpers/harness.js';
import { RedisServer } from './helpers/redis-server.js';

let server: RedisServer;
beforeAll(async () => {
  server = await RedisServer.start();
});
afterAll(async () => {
  await server?.kill();
});

// The outage stops the server (its data saved) and starts it again: a paused server would apply
// what was sent during the pause once it wakes, which is the network's doing, not the store's.
const harness = storeHarness(() => ({ url: server.url }), { begin: () => server.stop(), end: () => server.resume() });

describe('RedisCallStore on one Redis: the CallStore conformance suite', () => {
  for (const c of callStoreConformance(harness)) it(c.name, c.run);
});
