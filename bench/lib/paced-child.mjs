// The paced load (paced.mjs) in a child of its own, so that it runs on the load generator's CPU
// like wrk, and the orchestrating process stays idle. Bodies: the Node twin of the wrk script.
// BENCH_CONFIG: { url, headers, workload, base, gen, connections, seconds, rate }; answers one
// { type: 'result', ... } (rates and percentiles, not the samples) or { type: 'error' }.
import { bodySource } from '../wrk/fill.mjs';
import { pacedLoad } from './paced.mjs';
import { percentile } from './stats.mjs';

process.on('disconnect', () => process.exit(1));
try {
  const { url, headers, workload, base, gen, connections, seconds, rate } = JSON.parse(process.env.BENCH_CONFIG ?? '{}');
  const r = await pacedLoad({ url, headers, nextBody: bodySource(workload, { base, gen }), connections, seconds, rate });
  const sorted = Float64Array.from(r.latencies).sort();
  const notOk = Object.entries(r.statuses).filter(([code]) => !code.startsWith('2')).reduce((n, [, count]) => n + count, 0);
  process.send({
    type: 'result', ok: r.ok, seconds: r.seconds, rps: r.ok / r.seconds, notOk, socketErrors: r.errors + r.timeouts, lateMs: r.lateMs,
    p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), maxMs: sorted.length ? sorted[sorted.length - 1] : NaN,
  });
} catch (error) {
  process.send({ type: 'error', message: error?.stack ?? String(error) });
}
