// The figures that each run in one child of their own, after the engine's: (4a) and (4xa), the
// bytes allocated per roster notification without and with an outbox; (5d–5p), the heap at
// scale; (6c) and (6m), the Redis commands and memory, on a redis-server of their own.
import { fileURLToPath } from 'node:url';
import { forkNode, nextMessage, stop } from './lib/children.mjs';
import { startRedis } from './lib/redis.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

/** Runs one figure in a forked child (a script beside this file) and resolves its 'result' message (or `{ error }`). */
export async function inChild(script, { config, execArgv, timeoutMs }) {
  const child = forkNode(here(script), { config, execArgv });
  try {
    const { type: _type, ...result } = await nextMessage(child, 'result', timeoutMs);
    return result;
  } catch (error) {
    return { error: error.message };
  } finally {
    await stop(child, 5000);
  }
}

/** (4a), or with `outbox` (4xa): the same on the memory store that keeps an outbox. */
export async function allocationFigure(outbox, log) {
  log(`  (4${outbox ? 'xa' : 'a'}) bytes allocated per roster notification${outbox ? ', store with an outbox' : ''}...`);
  return inChild('./allocations.mjs', { config: { calls: 1000, notifications: 20_000, outbox }, timeoutMs: 120_000 });
}

/** (5d), (5k), (5p); `settings`: { calls }. */
export async function scaleFigures(settings, log) {
  log(`  (5d, 5k, 5p) heap per established call, keepAlive deadline and pending operation, ${settings.calls.toLocaleString('en-US')} calls...`);
  return inChild('./heap-scale.mjs', { config: settings, execArgv: ['--expose-gc', '--max-old-space-size=8192'], timeoutMs: 600_000 });
}

/** (6c), (6m) on a throw-away redis-server of their own; `redis` is `{ skip: reason }` or `{}`, `settings` { calls, cycles }. */
export async function redisCostFigures(redis, settings, log) {
  if (redis.skip) return { skipped: redis.skip };
  log(`  (6c, 6m) Redis commands per notification and memory per call, ${settings.calls.toLocaleString('en-US')} calls...`);
  let server;
  try {
    server = await startRedis();
    return await inChild('./redis-cost.mjs', { config: { ...settings, redisUrl: server.url }, timeoutMs: 300_000 });
  } catch (error) {
    return { error: error.message };
  } finally {
    await server?.stop();
  }
}
