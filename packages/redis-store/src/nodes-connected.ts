import type { Cluster, Redis } from 'ioredis';

/**
 * Resolves once the Cluster client's connection to each master is up, or failed. ioredis
 * connects to a node on its first command, and without an offline queue refuses every other
 * command for that node until the handshake is done: commands sent at once to a fresh client
 * would fail. A node that cannot be reached is not waited for: its commands fail by themselves.
 */
export function nodesConnected(cluster: Cluster, timeoutMs: number): Promise<void> {
  const pending = cluster.nodes('master').filter((node) => node.status !== 'ready');
  if (pending.length === 0) return Promise.resolve();
  return Promise.all(pending.map((node) => connected(node, timeoutMs))).then(() => undefined);
}

const connecting = new WeakMap<Redis, Promise<void>>();

/** One node's connection, shared by everyone who waits for it. */
function connected(node: Redis, timeoutMs: number): Promise<void> {
  let waiting = connecting.get(node);
  if (waiting) return waiting;
  if (node.status === 'wait') node.connect().catch(() => undefined);
  else if (node.status !== 'connecting' && node.status !== 'connect') return Promise.resolve();
  waiting = new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      connecting.delete(node);
      for (const event of ['ready', 'close', 'end'] as const) node.off(event, done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    for (const event of ['ready', 'close', 'end'] as const) node.once(event, done);
  });
  connecting.set(node, waiting);
  return waiting;
}
