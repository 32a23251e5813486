import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { redisCli, until } from './redis-cli.js';
import { exitOf, spawnRedisServer } from './redis-server.js';

/** One `redis-server` of a cluster: cluster mode, a small node timeout, no persistence, a temp dir of its own. */
export class ClusterNode {
  #child: ChildProcess | undefined;
  private constructor(readonly port: number, readonly dir: string) {}

  static async start(): Promise<ClusterNode> {
    for (const [command, pkg] of [['redis-server', 'redis-server'], ['redis-cli', 'redis-tools']] as const) {
      if (spawnSync(command, ['--version']).error) throw new Error(`${command} is needed by the Redis Cluster tests and was not found on PATH; install it, e.g. apt-get install ${pkg}`);
    }
    const node = new ClusterNode(await freePort(), mkdtempSync(join(tmpdir(), 'graph-comms-cluster-')));
    await node.resume();
    return node;
  }

  get alive(): boolean {
    return this.#child !== undefined;
  }

  /** Starts the node (again), on its port, with its cluster config (and the data it saved on `stop`). */
  async resume(): Promise<void> {
    if (this.#child) return;
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '1000'];
    args.push('--save', '', '--appendonly', 'no', '--repl-diskless-sync-delay', '0', '--dir', this.dir, '--logfile', '');
    this.#child = spawnRedisServer(args);
    await until(`cluster node ${this.port} starts`, async () => (await redisCli(this.port, 'PING')).trim() === 'PONG', 10_000);
  }

  /** A clean stop that keeps its data and config for `resume()` (SHUTDOWN SAVE). */
  async stop(): Promise<void> {
    if (!this.#child) return;
    const exited = exitOf(this.#child);
    await redisCli(this.port, 'SHUTDOWN', 'SAVE').catch(() => undefined);
    await exited;
    this.#child = undefined;
  }

  /** SIGKILL: gone at once, as a crashed machine. */
  async crash(): Promise<void> {
    if (!this.#child) return;
    const exited = exitOf(this.#child);
    this.#child.kill('SIGKILL');
    await exited;
    this.#child = undefined;
  }

  /** Stops for good and removes its directory. */
  async kill(): Promise<void> {
    await this.crash();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
