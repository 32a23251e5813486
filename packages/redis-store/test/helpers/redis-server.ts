import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL'); // a failed test never leaves a server behind
});

/**
 * A real `redis-server` on a free port of 127.0.0.1, without automatic snapshots or AOF. Its
 * data survives `stop()` + `start()` (SHUTDOWN SAVE into a private directory), as it would on a
 * Redis deployed with persistence; `crash()` loses it.
 */
export class RedisServer {
  #child: ChildProcess | undefined;
  private constructor(readonly port: number, readonly dir: string) {}

  /** Starts a server; fails (never skips) when redis-server is not installed. */
  static async start(): Promise<RedisServer> {
    const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
    if (probe.error) {
      throw new Error(`redis-server is needed by the @graph-comms/redis-store tests and was not found on PATH (${probe.error.message}); install it, e.g. apt-get install redis-server`);
    }
    const server = new RedisServer(await freePort(), mkdtempSync(join(tmpdir(), 'graph-comms-redis-')));
    await server.resume();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server again on the same port, with the data it saved when stopped. */
  async resume(): Promise<void> {
    if (this.#child) return;
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--logfile', ''];
    this.#child = spawnRedisServer(args);
    await this.#waitUntilUp();
  }

  /** A clean stop that keeps the data for `resume()`. */
  async stop(): Promise<void> {
    if (!this.#child) return;
    const exited = exitOf(this.#child);
    await command(this.port, 'SHUTDOWN SAVE').catch(() => undefined);
    await exited;
    this.#child = undefined;
  }

  /** SIGSTOP: connections stay open but nothing answers. */
  pause(): void {
    this.#child?.kill('SIGSTOP');
  }

  /** SIGCONT after `pause()`. */
  unpause(): void {
    this.#child?.kill('SIGCONT');
  }

  /** Stops for good and removes the data directory. */
  async kill(): Promise<void> {
    if (this.#child) {
      const exited = exitOf(this.#child);
      this.#child.kill('SIGKILL');
      await exited;
      this.#child = undefined;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Sends one inline command and resolves with the raw reply. */
  command(line: string): Promise<string> {
    return command(this.port, line);
  }

  async #waitUntilUp(): Promise<void> {
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      if (await command(this.port, 'PING').then((reply) => reply.startsWith('+PONG'), () => false)) return;
      if (this.#child?.exitCode !== null && this.#child?.exitCode !== undefined) throw new Error(`redis-server exited with ${this.#child.exitCode}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`redis-server on port ${this.port} did not start within 10 s`);
  }
}

/** Spawns `redis-server` with `args`; it is SIGKILLed if the test process exits first. */
export function spawnRedisServer(args: string[]): ChildProcess {
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Resolves once `child` has exited (at once if it has). */
export const exitOf = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

/** One inline command over a fresh socket (the test helper does not use the code under test). */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.setTimeout(1000, () => socket.destroy(new Error('timeout')));
    socket.on('connect', () => socket.write(`${line}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.endsWith('\r\n')) socket.end();
    });
    socket.on('close', () => (reply ? resolve(reply) : reject(new Error('no reply'))));
    socket.on('error', reject);
  });
}
