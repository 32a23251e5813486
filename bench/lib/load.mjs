// The HTTP load: autocannon in this (the orchestrating) process, against a server forked into
// its own process. Latencies are taken from autocannon's 'response' events at full float
// precision (its own histogram keeps whole milliseconds), for 2xx answers only.
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { percentile } from './stats.mjs';

const MAX_SAMPLES = 2_000_000;

/**
 * Runs one load phase. `nextBody()` gives each request's JSON text. `overallRate` (req/s over all
 * connections) makes it a fixed-rate run. Resolves with the raw run: 2xx count, seconds,
 * latencies (ms), status counts.
 */
export async function load({ url, headers, nextBody, connections, seconds, overallRate }) {
  const latencies = [];
  const statuses = {};
  const instance = autocannon({
    url,
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        method: 'POST',
        path: new URL(url).pathname,
        headers: { 'content-type': 'application/json', ...headers },
        setupRequest: (request) => {
          request.body = nextBody();
          return request;
        },
      },
    ],
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    if (statusCode >= 200 && statusCode < 300 && latencies.length < MAX_SAMPLES) latencies.push(responseTime);
  });
  const started = performance.now();
  const result = await instance;
  return {
    ok: latencies.length,
    seconds: (performance.now() - started) / 1000,
    latencies,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    // autocannon's own p99: whole milliseconds, corrected for coordinated omission at a fixed rate.
    autocannonP99Ms: result.latency.p99,
  };
}

/** Merges runs of one server: req/s over their total time, percentiles over all their samples. */
export function summarize(runs) {
  const ok = runs.reduce((n, r) => n + r.ok, 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  const sorted = Float64Array.from(runs.flatMap((r) => r.latencies)).sort();
  const statuses = {};
  for (const r of runs) for (const [code, n] of Object.entries(r.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  return {
    rps: ok / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1] : NaN,
    requests: ok,
    seconds,
    roundsRps: runs.map((r) => Math.round(r.ok / r.seconds)),
    statuses,
    errors: runs.reduce((n, r) => n + r.errors, 0),
    timeouts: runs.reduce((n, r) => n + r.timeouts, 0),
    autocannonP99Ms: runs.map((r) => r.autocannonP99Ms),
  };
}
