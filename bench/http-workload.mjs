// One workload of the HTTP figures: its servers (each its own process, on the servers' CPU) are
// started and warmed up, then loaded by wrk one at a time in interleaved rounds (baseline, bots;
// then bots reversed, baseline), so that a slow moment of the machine falls on every server
// alike. Each bot's figure is the median of its per-round ratios to the baseline's rate in the same
// round; the spread is their min and max.
import { nextMessage, startServer, stop } from './lib/children.mjs';
import { median, spreadOf } from './lib/stats.mjs';
import { runWrk } from './wrk/run.mjs';

const NEW_CALL_STRIDE = 2 ** 24; // call indexes per run of the new-call workload: no call is seen twice
const VISIT_STRIDE = 1_000_000; // visits per run of the mix: each run's sequence numbers are above the last's

/** The request indexes of run `index` (0 = warm-up): the same for every server, so they get the same bodies. */
export const runOffsets = (calls, index) => ({ base: calls === 0 ? index * NEW_CALL_STRIDE : 0, gen: index * VISIT_STRIDE });

async function stats(child) {
  child.send({ type: 'stats' });
  const { type: _type, ...s } = await nextMessage(child, 'stats', 5000);
  return s;
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Runs `targets` ({ key, label, script, config }; the first is the baseline) on `workload`
 * ({ name, calls, file }). Resolves `{ servers: { key: figure | { error } }, live }`: the servers
 * still running (for the paced figures), which the caller stops.
 */
export async function runWorkload({ workload, targets, settings, pinning, headers, log }) {
  const servers = {};
  const live = [];
  const load = (server, index, seconds) => runWrk({ pinning, url: server.url, headers, workloadFile: workload.file, ...runOffsets(workload.calls, index), connections: settings.connections, seconds });
  for (const target of targets) {
    try {
      const { child, port } = await startServer(target.script, { config: target.config, pin: { taskset: pinning.taskset, cpu: pinning.server } });
      const server = { ...target, child, url: `http://127.0.0.1:${port}/api/calls`, runs: [], loop: [], answered: 0, notOk: 0, socketErrors: 0 };
      live.push(server);
      log(`  [${workload.name}] ${target.label}: warm-up ${settings.warmupS} s`);
      const warm = await load(server, 0, settings.warmupS);
      Object.assign(server, { answered: warm.ok, notOk: warm.notOk, socketErrors: warm.socketErrors });
    } catch (error) {
      servers[target.key] = { error: error.message };
    }
  }
  log(`  [${workload.name}] ${settings.rounds} interleaved rounds of ${settings.roundS} s per server, ${settings.connections} connections`);
  for (let round = 0; round < settings.rounds; round += 1) {
    const order = round % 2 === 0 ? live : [...live].reverse();
    for (const server of order.filter((s) => !servers[s.key])) {
      try {
        server.child.send({ type: 'reset' });
        const r = await load(server, round + 1, settings.roundS);
        server.loop.push(await stats(server.child));
        server.runs[round] = r;
        server.answered += r.ok;
        server.notOk += r.notOk;
        server.socketErrors += r.socketErrors;
      } catch (error) {
        servers[server.key] = { error: error.message };
      }
    }
  }
  const base = live[0]?.key === targets[0].key && !servers[targets[0].key] ? live[0] : undefined;
  for (const server of live.filter((s) => !servers[s.key])) servers[server.key] = await figureOf(server, base);
  return { servers, live };
}

/** A server's figure: median rate, latency, ratios to the baseline per round, and what the server saw. */
async function figureOf(server, base) {
  const total = server.answered + server.notOk;
  // Bodies the server refused, or sockets that failed, mean the rate is not the workload's.
  if (server.notOk > 0) return { error: `${server.notOk} of ${total} answers were not 2xx` };
  if (server.socketErrors > 0.01 * total) return { error: `${server.socketErrors} socket errors or timeouts in ${total} requests` };
  const rounds = server.runs.map((r) => r.rps);
  const final = await stats(server.child);
  const perDelivery = Object.fromEntries(Object.entries(final.events ?? {}).map(([name, n]) => [name, n / server.answered]));
  const figure = {
    rps: median(rounds),
    roundsRps: rounds.map(Math.round),
    p50Ms: median(server.runs.map((r) => r.p50Ms)),
    p99Ms: median(server.runs.map((r) => r.p99Ms)),
    requests: server.answered,
    server: { cpuCores: mean(server.loop.map((s) => s.cpuCores)), gcShare: mean(server.loop.map((s) => s.gcShare)), eventLoopDelayP99Ms: Math.max(...server.loop.map((s) => s.eventLoopDelayP99Ms)), rssBytes: final.rssBytes, calls: final.calls, errors: final.errors, lastError: final.lastError },
    perDelivery,
  };
  if (base && base !== server) figure.ratio = spreadOf(rounds.map((rps, i) => rps / base.runs[i].rps));
  return figure;
}

/** Per-round ratios of one figure's rounds to another's (e.g. Redis to the memory store). */
export const pairedSpread = (a, b) => spreadOf(a.map((rps, i) => rps / b[i]));

/** Stops the servers runWorkload left running. */
export const stopAll = (live) => Promise.all(live.map((s) => stop(s.child)));
