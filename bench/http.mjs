// Figures 1, 2, 3 and 6: requests/s and latency over HTTP on 127.0.0.1. Every server runs in its
// own forked process and autocannon in this one. All servers start and warm up first; then they
// are loaded one at a time, in interleaved rounds, so that a slower moment of the machine does
// not fall on one server only and the ratios to the baseline compare like with like.
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { nextMessage, startServer, stop } from './lib/children.mjs';
import { APP_ID, rosterSequence, signedToken } from './lib/fixtures.mjs';
import { load, summarize } from './lib/load.mjs';
import { pacedLoad } from './lib/paced.mjs';
import { median } from './lib/stats.mjs';
import { startRedis } from './lib/redis.mjs';
import { cpuCores } from './servers/serve.mjs';

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const script = (name) => fileURLToPath(new URL(`./servers/${name}.mjs`, import.meta.url));

async function startBotServer(name, config) {
  const { child, port } = await startServer(script(name), { config });
  return { child, url: `http://127.0.0.1:${port}/api/calls` };
}

async function ask(child, type) {
  child.send({ type });
  if (type !== 'stats') return undefined;
  const { type: _type, ...stats } = await nextMessage(child, 'stats', 5000);
  return stats;
}

/** The HTTP settings of a mode. */
const httpSettings = (quick) => ({
  connections: 16,
  calls: 1000,
  warmupS: quick ? 2 : 6,
  rounds: quick ? 2 : 4,
  roundS: quick ? 1.5 : 2.5,
  fixedRateS: quick ? 2 : 6,
});

/** Runs the HTTP figures; `redis` is `{ skip: reason }` or `{}`. A figure that fails is recorded as `{ error }`. */
export async function httpFigures({ quick, redis, log }) {
  const settings = httpSettings(quick);
  const { jwks, token } = await signedToken();
  const headers = { authorization: `Bearer ${token}` };
  const results = { settings };
  const targets = [
    { key: 'baseline', label: '(1) bare Express 5', name: 'baseline', config: {} },
    { key: 'cacheOn', label: '(2) callback middleware, token cache on', name: 'bot', config: { appId: APP_ID, jwks, cache: true } },
    { key: 'cacheOff', label: '(3) callback middleware, token cache off', name: 'bot', config: { appId: APP_ID, jwks, cache: false } },
  ];
  let redisInstance;
  const live = [];
  try {
    if (redis.skip) {
      results.redis = { skipped: redis.skip };
      log(`  (6) skipped: ${redis.skip}`);
    } else {
      try {
        redisInstance = await startRedis();
        targets.push({ key: 'redis', label: '(6) callback middleware on RedisCallStore', name: 'bot', config: { appId: APP_ID, jwks, cache: true, store: 'redis', redisUrl: redisInstance.url } });
      } catch (error) {
        results.redis = { error: error.message };
      }
    }
    for (const target of targets) {
      try {
        log(`  ${target.label}: start and warm up ${settings.warmupS} s`);
        const server = await startBotServer(target.name, target.config);
        const nextBody = rosterSequence(settings.calls);
        const run = (extra) => load({ url: server.url, headers, nextBody, connections: settings.connections, ...extra });
        const warm = await run({ seconds: settings.warmupS });
        live.push({ ...target, ...server, run, nextBody, runs: [], answered: warm.ok });
      } catch (error) {
        results[target.key] = { error: error.message };
      }
    }

    log(`  ${settings.rounds} rounds of ${settings.roundS} s per server at saturation (${settings.connections} connections)`);
    for (let round = 0; round < settings.rounds; round += 1) {
      for (const server of live) {
        await ask(server.child, 'reset');
        const cpu = process.cpuUsage();
        const t0 = performance.now();
        const r = await server.run({ seconds: settings.roundS });
        r.loadGeneratorCores = cpuCores(process.cpuUsage(cpu), performance.now() - t0);
        server.runs.push(r);
        server.answered += r.ok;
        server.loop = [...(server.loop ?? []), await ask(server.child, 'stats')];
      }
    }
    for (const server of live) {
      const last = server.loop.at(-1);
      results[server.key] = {
        ...summarize(server.runs),
        server: {
          ...last,
          eventLoopDelayP99Ms: Math.max(...server.loop.map((s) => s.eventLoopDelayP99Ms)),
          gcShare: mean(server.loop.map((s) => s.gcShare)),
          cpuCores: mean(server.loop.map((s) => s.cpuCores)),
        },
        loadGeneratorCores: mean(server.runs.map((r) => r.loadGeneratorCores)),
      };
    }

    // Each server's rate over the baseline's in the same round (measured a few seconds apart), then
    // the median: this machine's speed drifts more between rounds than the servers differ.
    const baseRounds = results.baseline?.roundsRps;
    for (const server of live) {
      if (!baseRounds || server.key === 'baseline') continue;
      results[server.key].pairedRatio = median(results[server.key].roundsRps.map((rps, i) => rps / baseRounds[i]));
    }
    const memoryRounds = results.cacheOn?.roundsRps;
    if (memoryRounds && results.redis?.roundsRps) results.redis.pairedRatioToMemory = median(results.redis.roundsRps.map((rps, i) => rps / memoryRounds[i]));

    const bot = live.find((s) => s.key === 'cacheOn');
    const base = live.find((s) => s.key === 'baseline');
    if (bot && results.cacheOn.rps > 0) {
      // Latency at half of (2)'s saturation, paced evenly (see lib/paced.mjs); the baseline at the
      // same pace shows what Express and this machine alone give. autocannon's own fixed rate,
      // which sends in bursts, is kept beside it.
      const rate = Math.max(1, Math.round(results.cacheOn.rps / 2));
      for (const server of [bot, base].filter(Boolean)) {
        log(`  ${server.key === 'baseline' ? '(1)' : '(2)'} paced at ${rate} req/s (half of (2)'s saturation), ${settings.fixedRateS} s`);
        await ask(server.child, 'reset');
        const r = await pacedLoad({ url: server.url, headers, nextBody: server.nextBody, connections: settings.connections, seconds: settings.fixedRateS, rate });
        server.answered += r.ok;
        results[server.key].half = { rate, connections: settings.connections, lateMs: r.lateMs, ...summarize([r]), server: await ask(server.child, 'stats') };
      }
      log(`  (2) autocannon at a fixed ${rate} req/s (bursts each second), ${settings.fixedRateS} s`);
      await ask(bot.child, 'reset');
      const r = await bot.run({ seconds: settings.fixedRateS, overallRate: rate });
      bot.answered += r.ok;
      results.cacheOn.halfBursts = { rate, connections: settings.connections, ...summarize([r]), server: await ask(bot.child, 'stats') };
    }
    // Every delivery should be a real roster change: one rosterUpdated per answered request.
    for (const server of live) {
      const final = await ask(server.child, 'stats');
      if (final.rosterUpdated !== undefined && results[server.key]) results[server.key].changesPerDelivery = final.rosterUpdated / server.answered;
    }
    return results;
  } finally {
    await Promise.all(live.map((s) => stop(s.child)));
    await redisInstance?.stop();
  }
}
