import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One command through `redis-cli` to 127.0.0.1:`port` (the helpers do not use the code under test); its raw output. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { timeout: 5000 });
  return stdout;
}

/** One field of an INFO section (`cluster_state`, `master_repl_offset`...), undefined when absent or unreachable. */
export async function infoField(port: number, section: string, field: string): Promise<string | undefined> {
  const text = await redisCli(port, section === 'cluster' ? 'CLUSTER' : 'INFO', section === 'cluster' ? 'INFO' : section).catch(() => '');
  return new RegExp(`^${field}:(.*)$`, 'm').exec(text)?.[1]?.trim();
}

/** Resolves once `check` does with true; rejects naming `what` after `ms`. */
export async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: still not so after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
