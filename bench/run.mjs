// `npm run bench [-- --quick] [-- --profile]`: every figure of the benchmark, a table, and
// bench-results/bench-<timestamp>.json. Targets are informational: a MISS never fails the run;
// a figure that could not be measured (an error) makes the exit code 1.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkNode, killAll, nextMessage, startServer, stop } from './lib/children.mjs';
import { redisAvailable, REDIS_SERVER } from './lib/redis.mjs';
import { engineFigures } from './engine-figures.mjs';
import { httpFigures } from './http.mjs';
import { machineInfo, rows, serverNotes, table, writeResults } from './report.mjs';

const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--profile');
const root = fileURLToPath(new URL('..', import.meta.url));
const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const log = (message) => console.log(message);

const settings = quick
  ? { engine: { sizes: [1000, 10_000, 100_000], rounds: 2, warmupMs: 200, measureMs: 500, active: 1000, boundCalls: 100_000 }, heap: { calls: 2000, participantsPerCall: 10, retentionMs: 200 } }
  : { engine: { sizes: [1000, 100_000, 1_000_000], rounds: 3, warmupMs: 1000, measureMs: 2000, active: 1000, boundCalls: 1_000_000 }, heap: { calls: 10_000, participantsPerCall: 10, retentionMs: 200 } };

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

/** Runs one figure in a forked child and resolves its 'result' message (or `{ error }`). */
async function inChild(script, { config, execArgv, timeoutMs }) {
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

async function allocationFigure() {
  log('  (4a) bytes allocated per roster notification...');
  return inChild('./allocations.mjs', { config: { calls: 1000, notifications: 20_000 }, timeoutMs: 120_000 });
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
  const redis = await redisReadiness();
  const http = await httpFigures({ quick, redis, log }).catch((error) => {
    const failed = { error: error?.stack ?? String(error) };
    return { baseline: failed, cacheOn: failed, cacheOff: failed, redis: failed };
  });
  if (profile) {
    settings.engine.profileDir = join(root, 'bench-results', 'profiles');
    mkdirSync(settings.engine.profileDir, { recursive: true });
  }
  const results = { http, engine: await engineFigures(settings.engine, log), allocations: await allocationFigure(), heap: await heapFigures() };
  const list = rows(results);
  const file = writeResults(root, { startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), mode: quick ? 'quick' : 'full', machine, settings, results, table: list });
  log('');
  log(table(list));
  log('');
  log(serverNotes(http));
  log('');
  log(`HTTP: autocannon (this process) against each server (its own process), ${http.settings?.connections} connections, 127.0.0.1, interleaved`);
  log(`rounds; each request is an \`updated\` roster notification of one of ${http.settings?.calls} calls, round-robin, with its participant's`);
  log('rosterSequenceNumber raised and isMuted flipped, so that every delivery is a real change.');
  log('(2h)/(1h): a paced, open-loop load (bench/lib/paced.mjs) at half of (2)\'s saturation, latency counted from each');
  log('request\'s due time; (2b): autocannon\'s own fixed rate, which sends each second\'s quota in a burst.');
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
