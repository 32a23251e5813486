// The HTTP rows of the table and their notes: each figure as its median ratio to the baseline of
// the same rounds, with the spread (min–max of the per-round ratios) and the workload.
import { failed, int, spread } from './lib/format.mjs';

const ms = (n) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms` : '-');

const FIGURES = [
  ['baseline', '1', 'bare Express 5 + express.json(), 202'],
  ['cacheOn', '2', 'callback middleware, token cache on'],
  ['cacheOff', '3', 'callback middleware, token cache off'],
  ['redis', '6', 'callback middleware on RedisCallStore'],
];
const TARGETS = { baseline: ['baseline'], cacheOn: ['>= 0.90 x (1)', (r) => r.ratio?.median >= 0.9], redis: ['>= 0.50 x (2)', (r) => r.ratioToMemory?.median >= 0.5] };

/** The rows of figures 1, 2, 3, 6 and 2h/1h, per workload. */
export function httpRows(http = {}) {
  const out = [];
  if (failed(http) || !http.workloads) return [{ id: '1', figure: 'HTTP figures', value: failed(http) ?? 'not run' }];
  for (const [name, w] of Object.entries(http.workloads)) {
    for (const [key, id, label] of FIGURES) {
      const r = w.servers?.[key];
      const figure = `${label} [${name}]`;
      if (key === 'redis' && !r) {
        if (w.redisSkipped || w.redisError) out.push({ id, figure, value: w.redisSkipped ? `skipped: ${w.redisSkipped}` : `error: ${w.redisError}` });
        continue;
      }
      if (!r) continue;
      const problem = failed(r) ?? (key !== 'baseline' && !r.ratio ? 'error: no baseline in the same rounds' : undefined);
      if (problem) {
        out.push({ id, figure, value: problem });
        continue;
      }
      const [target, okOf] = TARGETS[key] ?? [];
      const ratio = key === 'baseline' ? '1.00' : spread(r.ratio) + (r.ratioToMemory ? `, ${spread(r.ratioToMemory)} x (2)` : '');
      out.push({ id, figure, value: `${int(r.rps)} req/s`, p50: ms(r.p50Ms), p99: ms(r.p99Ms), ratio, target, ok: okOf?.(r) });
    }
    for (const [key, id, target] of [['cacheOn', '2h', 'p99 <= 2 ms'], ['baseline', '1h', 'informational']]) {
      const h = w.half?.[key];
      if (!h) continue;
      const figure = `(${key === 'baseline' ? '1' : '2'}) paced at ${int(h.rate)} req/s (half of (2)'s saturation) [${name}]`;
      if (failed(h)) out.push({ id, figure, value: failed(h) });
      else out.push({ id, figure, value: `${int(h.rps)} req/s`, p50: ms(h.p50Ms), p99: ms(h.p99Ms), target, ok: key === 'cacheOn' ? h.p99Ms <= 2 : undefined });
    }
  }
  return out;
}

/** One line per server: what it saw (CPU, GC, event loop), its rounds, and what each 2xx answer caused. */
export function httpNotes(http = {}) {
  const lines = [];
  for (const [name, w] of Object.entries(http.workloads ?? {})) {
    for (const [key, id] of FIGURES) {
      const r = w.servers?.[key];
      if (!r?.server) continue;
      const events = Object.entries(r.perDelivery ?? {}).map(([event, n]) => `${event} ${n.toFixed(3)}`).join(', ');
      // At saturation the server should use its whole CPU; less means wrk or other load on the
      // machine set the rate, and the ratios to it then understate what the middleware costs.
      if (key === 'baseline' && r.server.cpuCores < 0.85) lines.push(`note: bare Express used ${r.server.cpuCores.toFixed(2)} of its CPU [${name}]: not saturated, so the ratios below understate the middleware's cost`);
      lines.push(`(${id}) [${name}] server CPU ${r.server.cpuCores.toFixed(2)} cores, GC ${(100 * r.server.gcShare).toFixed(1)} %, event-loop delay p99 ${ms(r.server.eventLoopDelayP99Ms)}, rounds ${r.roundsRps.join('/')} req/s` + (events ? `; per 2xx: ${events}` : '') + (r.server.errors ? `; ${r.server.errors} error events (${r.server.lastError})` : ''));
    }
    for (const [key, id] of [['cacheOn', '2h'], ['baseline', '1h']]) {
      const h = w.half?.[key];
      if (h?.server) lines.push(`(${id}) [${name}] paced: server event-loop delay p99 ${ms(h.server.eventLoopDelayP99Ms)}, max ${ms(h.server.eventLoopDelayMaxMs)}, GC ${(100 * h.server.gcShare).toFixed(1)} %; the generator fell behind its schedule by ${ms(h.lateMs)} at worst`);
    }
  }
  return lines.join('\n');
}
