import type { Cluster, Redis } from 'ioredis';

/** What the store talks to: one Redis, or a Redis Cluster (both ioredis clients, with the same commands). */
export type RedisClient = Redis | Cluster;

/** Whether `client` is an ioredis Cluster (checked by its flag, so that another copy of ioredis is recognised too). */
export function isCluster(client: RedisClient): client is Cluster {
  return (client as { isCluster?: unknown }).isCluster === true;
}
