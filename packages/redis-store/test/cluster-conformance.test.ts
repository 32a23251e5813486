import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { callStoreConformance } from '@graph-comms/core/testing';
import { RedisCluster } from './helpers/cluster.js';
import { storeHarness } from './helpers/harness.js';

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await RedisCluster.start();
}, 60_000);
afterAll(async () => {
  await cluster?.kill();
});

// The outage stops every node (data and cluster config saved) and starts them again.
const harness = storeHarness(() => ({ cluster: { nodes: cluster.seeds } }), { begin: () => cluster.stopAll(), end: () => cluster.resumeAll() });

describe('RedisCallStore on a Redis Cluster (three masters, three replicas): the CallStore conformance suite', () => {
  for (const c of callStoreConformance(harness)) it(c.name, c.run, 30_000);
});
