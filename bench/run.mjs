// `npm run bench [-- --quick] [-- --profile]`: every figure of the benchmark, a table, and
// bench-results/bench-<timestamp>.json. Targets are informational: a MISS never fails the run;
// a figure that could not be measured (an error) makes the exit code 1.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killAll, startServer, stop } from './lib/children.mjs';
import { redisAvailable, REDIS_SERVER } from './lib/redis.mjs';
import { allocationFigure, inChild, redisCostFigures, scaleFigures } from './cost-figures.mjs';
import { engineFigures } from './engine-figures.mjs';
import { httpFigures } from './http.mjs';
import { machineInfo, rows, table, writeResults } from './report.mjs';
import { httpNotes } from './report-http.mjs';
import { ensureWrk } from './wrk/ensure.mjs';

const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--profile');
const root = fileURLToPath(new URL('..', import.meta.url));
const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const log = (message) => console.log(message);

const settings = quick
  ? {
      engine: { sizes: [1000, 10_000, 100_000], rounds: 2, warmupMs: 200, measureMs: 500, active: 1000, boundCalls: 100_000 },
      heap: { calls: 2000, participantsPerCall: 10, retentionMs: 200 },
      scale: { calls: 20_000 },
      redisCost: { calls: 500, cycles: 1 },
    }
  : {
      engine: { sizes: [1000, 100_000, 1_000_000], rounds: 3, warmupMs: 1000, measureMs: 2000, active: 1000, boundCalls: 1_000_000 },
      heap: { calls: 10_000, participantsPerCall: 10, retentionMs: 200 },
      scale: { calls: 100_000 },
      redisCost: { calls: 2000, cycles: 2 },
    };

/** Resolves `{}` when redis-server exists and the (already built) store loads, else `{ skip: reason }`. */
async function redisReadiness() {
  if (!redisAvailable()) return { skip: `${REDIS_SERVER} not found` };
  try {
    await import('@graph-comms/redis-store');
  } catch (error) {
    return { skip: `@graph-comms/redis-store does not load: ${error.message}` };
  }
  return {};
}

async function heapFigures() {
  log(`  (5) heap per pending operation and participant, ${settings.heap.calls.toLocaleString('en-US')} calls...`);
  let graph;
  try {
    const { child, port } = await startServer(here('./servers/graph-stand-in.mjs'));
    graph = child;
    const config = { ...settings.heap, graphUrl: `http://127.0.0.1:${port}/` };
    return await inChild('./heap.mjs', { config, execArgv: ['--expose-gc'], timeoutMs: 180_000 });
  } catch (error) {
    return { error: error.message };
  } finally {
    if (graph) await stop(graph);
  }
}

async function main() {
  const startedAt = new Date();
  const machine = machineInfo();
  log(`graph-comms bench (${quick ? 'quick' : 'full'}) on ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, ${(machine.memoryTotalBytes / 2 ** 30).toFixed(1)} GiB`);
  // Without wrk there are no HTTP figures: stop at once, with the command that installs it.
  try {
    ensureWrk(log);
  } catch (error) {
    console.error(error.message);
    return 1;
  }
  const redis = await redisReadiness();
  const http = await httpFigures({ quick, redis, log }).catch((error) => ({ error: error?.stack ?? String(error) }));
  if (profile) {
    settings.engine.profileDir = join(root, 'bench-results', 'profiles');
    mkdirSync(settings.engine.profileDir, { recursive: true });
  }
  const results = {
    http,
    engine: await engineFigures(settings.engine, log),
    allocations: await allocationFigure(false, log),
    allocationsOutbox: await allocationFigure(true, log),
    heap: await heapFigures(),
    scale: await scaleFigures(settings.scale, log),
    redisCost: await redisCostFigures(redis, settings.redisCost, log),
  };
  const list = rows(results);
  const file = writeResults(root, { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), mode: quick ? 'quick' : 'full', machine, settings, results, table: list });
  log('');
  log(table(list));
  log('');
  log(httpNotes(http));
  log('');
  const h = http.settings;
  if (h) {
    log(`HTTP on ${machine.cpuModel}, ${machine.cores} cores: wrk (1 thread, ${h.connections} connections) against each server (its own process); ${h.pinning}.`);
    log(`Interleaved rounds (${h.rounds} x ${h.roundS} s per server, after ${h.warmupS} s of warm-up): each figure is the median of its per-round ratios`);
    log('to bare Express in the same round, (min–max) the spread of those ratios; req/s, p50 and p99 are the medians of the rounds.');
    for (const [name, w] of Object.entries(http.workloads ?? {})) log(`  [${name}] ${w.description}`);
    log('Every request carries the same RS256 bearer token (as Graph reuses one), verified by (2), (3) and (6); bare Express only parses.');
    log('"per 2xx": events over the 2xx answers wrk counted; requests in flight when a run ends are processed but not counted.');
    log('(2h)/(1h): a paced, open-loop load (bench/lib/paced.mjs, on the load CPU) at half of (2)\'s saturation, latency from each');
    log('request\'s due time: wrk cannot pace (Debian\'s wrk 4.1 has no rate option; -R is wrk2\'s).');
  }
  log(`Targets are informational. Results: ${file}`);
  const errors = list.filter((r) => String(r.value).startsWith('error'));
  return errors.length === 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(error);
} finally {
  killAll();
}
process.exitCode = code;
