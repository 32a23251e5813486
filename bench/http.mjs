// Figures 1, 2, 3 and 6 over HTTP on 127.0.0.1, measured from outside: wrk (Debian's, one thread)
// on one CPU, each server in its own process on another (taskset -c), two workloads (see
// wrk/templates.mjs). This process only starts things and waits while a round runs.
// (2h)/(1h), the latency at half of (2)'s saturation, need a paced load, which wrk cannot give.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkNode, nextMessage, stop } from './lib/children.mjs';
import { APP_ID, signedToken } from './lib/fixtures.mjs';
import { choosePinning } from './lib/pinning.mjs';
import { startRedis } from './lib/redis.mjs';
import { pairedSpread, runOffsets, runWorkload, stopAll } from './http-workload.mjs';
import { writeWorkloadFile } from './wrk/fill.mjs';
import { WORKLOADS } from './wrk/templates.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));

/** The HTTP settings of a mode; wrk's durations are whole seconds. */
export const httpSettings = (quick) => ({ connections: 16, warmupS: quick ? 1 : 3, rounds: quick ? 3 : 5, roundS: quick ? 1 : 3, halfS: quick ? 2 : 6 });

/** The latency at half of (2)'s saturation: the paced generator, in a child on the load CPU. */
async function pacedFigure({ server, rate, workload, index, settings, pinning, headers }) {
  server.child.send({ type: 'reset' });
  const config = { url: server.url, headers, workload: workload.name, ...runOffsets(workload.calls, index), connections: settings.connections, seconds: settings.halfS, rate };
  const child = forkNode(here('./lib/paced-child.mjs'), { config, pin: { taskset: pinning.taskset, cpu: pinning.load } });
  try {
    const { type: _type, ...r } = await nextMessage(child, 'result', (settings.halfS + 30) * 1000);
    server.child.send({ type: 'stats' });
    const { type: _t, ...seen } = await nextMessage(server.child, 'stats', 5000);
    if (r.notOk > 0 || r.socketErrors > 0) return { error: `${r.notOk} answers not 2xx, ${r.socketErrors} socket errors or timeouts` };
    return { rate, ...r, server: seen };
  } catch (error) {
    return { error: error.message };
  } finally {
    await stop(child);
  }
}

/** Runs the HTTP figures; `redis` is `{ skip: reason }` or `{}`. A figure that fails is recorded as `{ error }`. */
export async function httpFigures({ quick, redis, log }) {
  const settings = httpSettings(quick);
  const pinning = choosePinning();
  const { jwks, token } = await signedToken();
  const headers = { authorization: `Bearer ${token}` };
  const dir = mkdtempSync(join(os.tmpdir(), 'graph-comms-bench-'));
  const results = { settings: { ...settings, pinning: pinning.summary, loadGenerator: 'wrk, 1 thread' }, workloads: {} };
  const bot = (key, label, extra) => ({ key, label, script: here('./servers/bot.mjs'), config: { appId: APP_ID, jwks, cache: true, ...extra } });
  const targets = [
    { key: 'baseline', label: '(1) bare Express 5', script: here('./servers/baseline.mjs'), config: {} },
    bot('cacheOn', '(2) callback middleware, token cache on'),
    bot('cacheOff', '(3) callback middleware, token cache off', { cache: false }),
  ];
  let redisInstance;
  try {
    log(`  HTTP: ${pinning.summary}`);
    for (const name of ['new-call', 'mix']) {
      const workload = { name, calls: WORKLOADS[name].calls, file: writeWorkloadFile(join(dir, `${name}.tsv`), name) };
      const figure = { description: WORKLOADS[name].description, calls: workload.calls };
      results.workloads[name] = figure;
      const these = [...targets];
      if (name === 'mix') {
        if (redis.skip) figure.redisSkipped = redis.skip;
        else {
          try {
            redisInstance = await startRedis({ pin: { taskset: pinning.taskset, cpu: pinning.server } });
            these.push(bot('redis', '(6) callback middleware on RedisCallStore', { store: 'redis', redisUrl: redisInstance.url }));
          } catch (error) {
            figure.redisError = error.message;
          }
        }
      }
      const { servers, live } = await runWorkload({ workload, targets: these, settings, pinning, headers, log });
      figure.servers = servers;
      try {
        if (servers.redis?.roundsRps && servers.cacheOn?.roundsRps) servers.redis.ratioToMemory = pairedSpread(servers.redis.roundsRps, servers.cacheOn.roundsRps);
        if (name === 'mix' && servers.cacheOn?.rps > 0) {
          const rate = Math.max(1, Math.round(servers.cacheOn.rps / 2));
          figure.half = {};
          for (const key of ['cacheOn', 'baseline']) {
            const server = live.find((s) => s.key === key);
            if (!server || servers[key]?.error) continue;
            log(`  [mix] ${key === 'baseline' ? '(1)' : '(2)'} paced at ${rate} req/s (half of (2)'s saturation), ${settings.halfS} s`);
            figure.half[key] = await pacedFigure({ server, rate, workload, index: settings.rounds + 1, settings, pinning, headers });
          }
        }
      } finally {
        await stopAll(live);
      }
    }
    return results;
  } finally {
    await redisInstance?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
