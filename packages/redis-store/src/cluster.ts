import { Cluster, type ClusterOptions } from 'ioredis';
import { reconnectDelay } from './connection.js';

/** A node of a Redis Cluster to start from; the others are discovered. */
export interface ClusterNodeAddress {
  /** The node's host name or IP address. */
  host: string;
  /** The node's port. */
  port: number;
}

/** The nodes `cluster` has found so far (none before it first connected). */
export function knownNodes(cluster: Cluster): ClusterNodeAddress[] {
  return cluster.nodes('all').map((node) => ({ host: String(node.options.host), port: Number(node.options.port) }));
}

/** How the store reaches a Redis Cluster: `new RedisCallStore({ cluster: { nodes: [...] } })`. */
export interface RedisClusterConfig {
  /** Some nodes of the cluster (one is enough; more, in case that one is down at start). */
  nodes: ClusterNodeAddress[];
  /**
   * ioredis Cluster options (TLS and passwords in `redisOptions`, `natMap`...). The store's
   * fail-fast settings override yours: no offline queue, no resend of a command after its
   * connection failed (`retryDelayOnFailover: 0`), no wait on CLUSTERDOWN, no retry per request.
   */
  options?: ClusterOptions;
}

/** Refuses a config that names no node or a node that is not a host and a port. */
export function checkClusterConfig(config: RedisClusterConfig): void {
  const nodes: unknown = (config as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) throw new TypeError('RedisCallStore: cluster.nodes must be a non-empty array of { host, port }');
  for (const node of nodes as unknown[]) {
    const { host, port } = (node ?? {}) as { host?: unknown; port?: unknown };
    if (typeof host !== 'string' || host === '' || typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new TypeError(`RedisCallStore: each of cluster.nodes needs a host (string) and a port (1-65535), got ${JSON.stringify(node)}`);
    }
  }
}

/**
 * Opens the store's own Cluster client. A command refused by a node (MOVED, ASK, TRYAGAIN) was
 * not applied and may go to the right node; one whose connection failed may have been applied
 * and is never sent again: the update fails (503) and Graph delivers the notification again.
 */
export function openCluster(config: RedisClusterConfig, commandTimeoutMs: number): Cluster {
  const options = config.options ?? {};
  return new Cluster(
    config.nodes.map(({ host, port }) => ({ host, port })),
    {
      clusterRetryStrategy: reconnectDelay,
      slotsRefreshTimeout: Math.max(commandTimeoutMs, 1000),
      ...options,
      enableOfflineQueue: false,
      retryDelayOnFailover: 0,
      retryDelayOnClusterDown: 0,
      redisOptions: {
        commandTimeout: commandTimeoutMs,
        connectTimeout: Math.max(commandTimeoutMs, 1000),
        ...options.redisOptions,
        maxRetriesPerRequest: 0,
        autoResendUnfulfilledCommands: false,
      },
    },
  );
}
