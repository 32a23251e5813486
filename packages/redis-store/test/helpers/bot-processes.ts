import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'bot-process.mjs');

/** A message a bot process sends to the test. */
export interface FromBot {
  from: string;
  type: 'ready' | 'event' | 'error' | 'invited' | 'inviteFailed' | 'started' | 'startFailed' | 'completed' | 'pong';
  /** When the process sent it (its Date.now()). */
  at?: number;
  port?: number;
  event?: string;
  callId?: string;
  eventId?: string | null;
  /** An operation event's kind, and an operationFailed's reason. */
  kind?: string | null;
  reason?: string | null;
  /** A rosterUpdated's joined participants: the clientContexts of the invites they answer. */
  joined?: string[];
  clientContext?: string | null;
  added?: string[];
  invitation?: string | null;
  source?: string;
  message?: string;
  status?: string;
}

/** One bot process (test/helpers/bot-process.mjs) and what it reported. */
export class BotProcess {
  readonly messages: FromBot[] = [];
  #waiters: Array<() => void> = [];
  private constructor(readonly name: string, readonly child: ChildProcess, readonly port: number) {}

  /**
   * `options`: more options of its bot (JSON: keepAliveIntervalMs...). `crashable`: its store is
   * a crashingStore (test/helpers/crashing-store.mjs), armed by a `crashOn` message.
   */
  static async start(name: string, redisUrl: string, graphUrl: string, options?: Record<string, unknown>, { crashable = false } = {}): Promise<BotProcess> {
    const env = crashable ? { ...process.env, GRAPH_COMMS_TEST_CRASHABLE: '1' } : process.env;
    const child = fork(SCRIPT, [redisUrl, graphUrl, name, ...(options ? [JSON.stringify(options)] : [])], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env });
    const early: FromBot[] = [];
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bot process ${name} did not start within 10 s`)), 10_000);
      child.on('message', (message: FromBot) => {
        early.push(message);
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve(message.port!);
        }
      });
      child.once('exit', (code) => reject(new Error(`bot process ${name} exited with ${code}`)));
    });
    const bot = new BotProcess(name, child, port);
    bot.messages.push(...early);
    child.removeAllListeners('message');
    child.on('message', (message: FromBot) => {
      bot.messages.push(message);
      for (const wake of bot.#waiters.splice(0)) wake();
    });
    return bot;
  }

  send(message: object): void {
    this.child.send(message);
  }

  /** Resolves with the first message that `match` accepts, waiting for it if need be. */
  async next(match: (message: FromBot) => boolean, timeoutMs = 5000): Promise<FromBot> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (Date.now() > until) throw new Error(`bot process ${this.name}: no such message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, until - Date.now());
        this.#waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }

  /** Resolves once every message the process sent before now has arrived. */
  async flush(): Promise<void> {
    const id = `ping-${Date.now()}-${Math.random()}`;
    this.send({ type: 'ping', id });
    await this.next((m) => m.type === 'pong' && m.message === id);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the signal that ended the process (null: it exited), once it has; rejects after `timeoutMs`. */
  async exited(timeoutMs = 5000): Promise<NodeJS.Signals | null> {
    if (!this.alive) return this.child.signalCode;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`bot process ${this.name} still running after ${timeoutMs} ms`)), timeoutMs);
      this.child.once('exit', (_code, signal) => (clearTimeout(timer), resolve(signal)));
    });
  }

  /** SIGKILL: no goodbye, as a crashed process. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }

  /**
   * Asks the process to close its bot and let node exit; kills it if it has not within 5 s.
   * Resolves with whether it exited by itself (exit code 0: nothing left open).
   */
  async stop(): Promise<boolean> {
    if (!this.alive) return false;
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.send({ type: 'close' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    const code = await exited;
    clearTimeout(timer);
    return code === 0;
  }
}
