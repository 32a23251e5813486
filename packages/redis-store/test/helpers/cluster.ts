import { ClusterNode } from './cluster-node.js';
import { infoField, redisCli, until } from './redis-cli.js';

/** One line of CLUSTER NODES. */
interface NodeLine {
  id: string;
  port: number;
  master: boolean;
  failed: boolean;
  masterId: string;
  slots: Array<[number, number]>;
}

/**
 * A real Redis Cluster on 127.0.0.1: six `redis-server` processes, three masters and three
 * replicas (`redis-cli --cluster create ... --cluster-replicas 1`), a node timeout of one second.
 */
export class RedisCluster {
  private constructor(readonly nodes: ClusterNode[]) {}

  static async start(): Promise<RedisCluster> {
    const nodes = await Promise.all(Array.from({ length: 6 }, () => ClusterNode.start()));
    const cluster = new RedisCluster(nodes);
    try {
      await redisCli(nodes[0]!.port, '--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '1', '--cluster-yes');
      await cluster.settled();
    } catch (error) {
      await cluster.kill();
      throw error;
    }
    return cluster;
  }

  /** Where a client starts from. */
  get seeds(): Array<{ host: string; port: number }> {
    return this.nodes.map((n) => ({ host: '127.0.0.1', port: n.port }));
  }

  /** The master holding `key`'s slot and its replica. */
  async holderOf(key: string): Promise<{ master: ClusterNode; replica: ClusterNode; slot: number }> {
    const port = this.#anyAlive().port;
    const slot = Number((await redisCli(port, 'CLUSTER', 'KEYSLOT', key)).trim());
    const lines = (await this.#nodeLines(port)).filter((l) => !l.failed && this.#node(l.port).alive);
    const master = lines.find((l) => l.master && l.slots.some(([from, to]) => slot >= from && slot <= to));
    const replica = lines.find((l) => !l.master && l.masterId === master?.id);
    if (!master || !replica) throw new Error(`no master with a replica holds slot ${slot}`);
    return { master: this.#node(master.port), replica: this.#node(replica.port), slot };
  }

  /** Resolves once `node` is the master holding `slot` in the view of every node alive, and the cluster is ok. */
  async tookOver(node: ClusterNode, slot: number): Promise<void> {
    await until(`node ${node.port} takes slot ${slot} over`, async () => {
      for (const n of this.nodes.filter((m) => m.alive)) {
        const holder = (await this.#nodeLines(n.port)).find((l) => l.master && !l.failed && l.slots.some(([from, to]) => slot >= from && slot <= to));
        if (holder?.port !== node.port || (await infoField(n.port, 'cluster', 'cluster_state')) !== 'ok') return false;
      }
      return true;
    });
  }

  /** Resolves once every replica alive has all its master wrote (so that a failover loses nothing written before). */
  async replicated(): Promise<void> {
    // Nodes this helper killed count as gone even before the cluster noticed.
    const lines = (await this.#nodeLines(this.#anyAlive().port)).filter((l) => !l.failed && this.#node(l.port).alive);
    for (const master of lines.filter((l) => l.master)) {
      const offset = Number(await infoField(master.port, 'replication', 'master_repl_offset'));
      for (const replica of lines.filter((l) => !l.master && l.masterId === master.id)) {
        await until(`replica ${replica.port} catches up`, async () => Number(await infoField(replica.port, 'replication', 'slave_repl_offset')) >= offset);
      }
    }
  }

  /**
   * SIGKILLs `node`; when it was a master, resolves once its replica has taken its slots over.
   * Resolves with the replica that did, if any.
   */
  async crash(node: ClusterNode): Promise<ClusterNode | undefined> {
    const lines = await this.#nodeLines(this.nodes.find((n) => n.alive && n !== node)!.port);
    const line = lines.find((l) => l.port === node.port);
    const replica = lines.find((l) => !l.master && !l.failed && this.#node(l.port).alive && l.masterId === line?.id);
    await node.crash();
    const slot = line?.master ? line.slots[0]?.[0] : undefined;
    if (slot === undefined || !replica) return undefined;
    const taker = this.#node(replica.port);
    await this.tookOver(taker, slot);
    return taker;
  }

  /** The node alive where a client subscribed to `channel` (classic pub/sub is per node; PUBLISH reaches all). */
  async subscribedOn(channel: string): Promise<ClusterNode | undefined> {
    for (const node of this.nodes.filter((n) => n.alive)) {
      const reply = (await redisCli(node.port, 'PUBSUB', 'NUMSUB', channel)).trim().split('\n');
      if (Number(reply[1]) > 0) return node;
    }
    return undefined;
  }

  /** Every node stopped (keeping data and config), then started again, and the cluster ok again. */
  async stopAll(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
  }

  async resumeAll(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.resume()));
    await this.settled();
  }

  /** Resolves once every node alive says cluster_state:ok and every master alive has its replicas in sync. */
  async settled(): Promise<void> {
    await until('the cluster is ok', async () => {
      for (const n of this.nodes.filter((m) => m.alive)) if ((await infoField(n.port, 'cluster', 'cluster_state')) !== 'ok') return false;
      const lines = await this.#nodeLines(this.#anyAlive().port);
      if (lines.filter((l) => l.master && !l.failed && l.slots.length > 0).length !== 3) return false;
      for (const replica of lines.filter((l) => !l.master && !l.failed)) if ((await infoField(replica.port, 'replication', 'master_link_status')) !== 'up') return false;
      return true;
    });
  }

  async kill(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.kill()));
  }

  #anyAlive(): ClusterNode {
    const node = this.nodes.find((n) => n.alive);
    if (!node) throw new Error('no cluster node is alive');
    return node;
  }

  #node(port: number): ClusterNode {
    const node = this.nodes.find((n) => n.port === port);
    if (!node) throw new Error(`no node on port ${port}`);
    return node;
  }

  async #nodeLines(port: number): Promise<NodeLine[]> {
    return (await redisCli(port, 'CLUSTER', 'NODES')).trim().split('\n').filter(Boolean).map((line) => {
      const [id = '', address = '', flags = '', masterId = '', , , , , ...slots] = line.trim().split(' ');
      const ranges = slots.filter((s) => !s.startsWith('[')).map((s): [number, number] => {
        const [from, to = from] = s.split('-');
        return [Number(from), Number(to)];
      });
      return { id, port: Number(address.split('@')[0]!.split(':').at(-1)), master: flags.includes('master'), failed: /fail|noaddr/.test(flags), masterId, slots: ranges };
    });
  }
}
