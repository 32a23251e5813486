import type { Logger } from '@graph-comms/core';
import type { Cluster, Redis } from 'ioredis';
import { isCluster, type RedisClient } from './client.js';
import { knownNodes, openCluster, type ClusterNodeAddress } from './cluster.js';
import { clusterSubscriptions } from './cluster-subscription.js';
import { openConnection, watchConnection } from './connection.js';
import type { RedisCallStoreOptions } from './options.js';
import { standaloneSubscriptions, type OpenSubscription } from './subscription.js';

/** The store's command client, whether it owns it, and how it subscribes to outcomes. */
export interface StoreClient {
  redis: RedisClient;
  owned: boolean;
  subscriptions: OpenSubscription;
}

/** Opens (or takes) the client the options name: a URL, a Cluster, or a client of the user's. */
export function openClient(options: RedisCallStoreOptions, commandTimeoutMs: number, logger: Logger): StoreClient {
  const owned = options.client === undefined;
  const redis: RedisClient = options.client ?? (options.cluster ? openCluster(options.cluster, commandTimeoutMs) : openConnection(options.url ?? 'redis://127.0.0.1:6379', commandTimeoutMs));
  if (owned) watchConnection(redis, 'commands', logger);
  const subscriptions = isCluster(redis) ? clusterSubscriptions(redis, seedsOf(redis, options), commandTimeoutMs, logger) : standaloneSubscriptions(redis as Redis, commandTimeoutMs, logger);
  return { redis, owned, subscriptions };
}

/** The nodes a subscriber may start from before the cluster client found the others. */
function seedsOf(cluster: Cluster, options: RedisCallStoreOptions): ClusterNodeAddress[] {
  if (options.cluster) return options.cluster.nodes;
  // A client of the user's: the nodes it knows once it is connected (see clusterSubscriptions).
  return knownNodes(cluster);
}
