import { afterAll, beforeAll } from '@jest/globals';
import { Redis } from 'ioredis';
import { RedisCluster } from './cluster.js';
import { RedisServer } from './redis-server.js';

/** What a test file's cases opened, closed after its last case, last first. */
export type Closers = Array<() => unknown>;

async function closeAll(closers: Closers): Promise<void> {
  for (const close of closers.reverse()) await close();
}

/** One redis-server for the test file and a plain client on it; after the file, what the cases left in `closers`, then both, are closed. */
export function serverPerFile(): { readonly server: RedisServer; readonly raw: Redis; readonly closers: Closers } {
  const file = { closers: [] as Closers } as { server: RedisServer; raw: Redis; closers: Closers };
  beforeAll(async () => {
    file.server = await RedisServer.start();
    file.raw = new Redis(file.server.url);
  });
  afterAll(async () => {
    await closeAll(file.closers);
    file.raw.disconnect();
    await file.server.kill();
  });
  return file;
}

/** One Redis Cluster for the test file; after the file, what the cases left in `closers`, then the cluster, are closed. */
export function clusterPerFile(): { readonly cluster: RedisCluster; readonly closers: Closers } {
  const file = { closers: [] as Closers } as { cluster: RedisCluster | undefined; closers: Closers };
  beforeAll(async () => {
    file.cluster = await RedisCluster.start();
  }, 60_000);
  afterAll(async () => {
    await closeAll(file.closers);
    await file.cluster?.kill();
  });
  return file as { cluster: RedisCluster; closers: Closers };
}
