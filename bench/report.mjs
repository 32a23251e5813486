// The benchmark's output: machine info, the table (with informational PASS/MISS against the
// targets), and the JSON file in bench-results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    availableParallelism: os.availableParallelism?.() ?? cpus.length,
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryTotalBytes: os.totalmem(),
    memoryFreeBytes: os.freemem(),
    loadAverage: os.loadavg(),
  };
}

const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const ms = (n) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms` : '-');
const ratio = (n) => (Number.isFinite(n) ? n.toFixed(2) : '-');
const bytes = (n) => (Math.abs(n) >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : Math.abs(n) >= 1024 ? `${(n / 1024).toFixed(2)} KiB` : `${Math.round(n)} B`);
const verdict = (ok) => (ok === undefined ? '' : ok ? 'PASS' : 'MISS');
const failed = (r) => (r?.error ? `error: ${r.error.split('\n')[0].slice(0, 60)}` : r?.skipped ? `skipped: ${r.skipped}` : undefined);

/** The table rows: { id, figure, value, p50, p99, ratio, target, ok }. */
export function rows(results) {
  const out = [];
  const { http = {}, engine = {}, allocations, heap } = results;
  const base = http.baseline;
  const baseRps = base?.rps;
  const toBase = (r) => r.pairedRatio ?? r.rps / baseRps;
  const httpRow = (id, figure, r, target, okOf) => {
    const problem = failed(r);
    if (problem || !r) return out.push({ id, figure, value: problem ?? 'not run' });
    out.push({ id, figure, value: `${int(r.rps)} req/s`, p50: ms(r.p50Ms), p99: ms(r.p99Ms), ratio: ratio(toBase(r)), target, ok: okOf?.(r) });
  };
  httpRow('1', 'bare Express 5 + express.json(), 202', base, 'baseline');
  httpRow('2', 'callback middleware, token cache on', http.cacheOn, '>= 0.90 x (1)', (r) => toBase(r) >= 0.9);
  const half = http.cacheOn?.half;
  if (half) out.push({ id: '2h', figure: `(2) paced at ${int(half.rate)} req/s (half of saturation)`, value: `${int(half.rps)} req/s`, p50: ms(half.p50Ms), p99: ms(half.p99Ms), ratio: '', target: 'p99 <= 2 ms', ok: half.p99Ms <= 2 });
  const baseHalf = http.baseline?.half;
  if (baseHalf) out.push({ id: '1h', figure: `(1) paced at the same ${int(baseHalf.rate)} req/s`, value: `${int(baseHalf.rps)} req/s`, p50: ms(baseHalf.p50Ms), p99: ms(baseHalf.p99Ms), ratio: '', target: 'informational' });
  const bursts = http.cacheOn?.halfBursts;
  if (bursts) out.push({ id: '2b', figure: `(2) autocannon fixed ${int(bursts.rate)} req/s (bursts)`, value: `${int(bursts.rps)} req/s`, p50: ms(bursts.p50Ms), p99: ms(bursts.p99Ms), ratio: '', target: 'informational' });
  httpRow('3', 'callback middleware, token cache off', http.cacheOff);
  engineRows(engine, out);
  if (allocations) {
    // Per function in the JSON file (byFunction).
    out.push({ id: '4a', figure: 'allocated per roster notification (framework)', value: failed(allocations) ?? `${int(allocations.bytesPerNotification)} B`, target: 'informational' });
  }
  if (failed(heap) || !heap) out.push({ id: '5', figure: 'heap', value: failed(heap) ?? 'not run' });
  else {
    out.push({ id: '5a', figure: `heap per pending operation (${int(heap.calls)} invites)`, value: bytes(heap.perPendingOperationBytes), target: '<= 2 KiB', ok: heap.perPendingOperationBytes <= 2048 });
    out.push({ id: '5b', figure: `heap per roster participant (${int(heap.calls * heap.participantsPerCall)})`, value: bytes(heap.perParticipantBytes), target: 'informational' });
    const near = nearBaseline(heap);
    out.push({ id: '5c', figure: 'heap after calls ended + retention vs start', value: `${heap.residualBytes >= 0 ? '+' : ''}${bytes(heap.residualBytes)} (peak +${bytes(heap.peakGrowthBytes)})`, target: 'near start', ok: near });
  }
  const redis = http.redis;
  const memRps = http.cacheOn?.rps;
  const problem = failed(redis);
  const toMemory = redis?.pairedRatioToMemory ?? redis?.rps / memRps;
  if (problem || !redis) out.push({ id: '6', figure: 'RedisCallStore over HTTP', value: problem ?? 'not run' });
  else out.push({ id: '6', figure: 'RedisCallStore over HTTP (vs (2))', value: `${int(redis.rps)} req/s`, p50: ms(redis.p50Ms), p99: ms(redis.p99Ms), ratio: `${ratio(toBase(redis))} (${ratio(toMemory)} of 2)`, target: '>= 0.50 x (2)', ok: toMemory >= 0.5 });
  return out;
}

/** Figure 4: the bot at each size, then the ratios, with the floor's beside them. */
function engineRows(engine, out) {
  const problem = failed(engine);
  if (problem || !engine.runs) return out.push({ id: '4', figure: 'engine', value: problem ?? 'not run' });
  const active = engine.settings.active;
  const bot = engine.runs.filter((r) => r.subject === 'bot' && r.flags.length === 0 && !r.fresh);
  const floor = engine.runs.filter((r) => r.subject === 'floor');
  const tuned = engine.runs.filter((r) => r.subject === 'bot' && r.flags.length > 0);
  const smallest = bot[0]?.calls;
  const who = (calls, mode) => (calls <= active || mode === 'spread' ? 'all active' : `${int(active)} active`);
  // At the smallest size every call is active: 'spread' makes the same visits as 'active'.
  const measured = (mode) => bot.filter((r) => !(r.calls === smallest && mode === 'spread'));
  for (const mode of ['active', 'spread']) {
    for (const r of measured(mode)) {
      out.push({ id: mode === 'active' ? '4' : '4s', figure: `engine, ${int(r.calls)} calls tracked, ${who(r.calls, mode)}`, value: `${int(r[mode].perSecond)} notif/s`, target: '>= 300,000/s', ok: r[mode].perSecond >= 300_000 });
    }
  }
  for (const mode of ['active', 'spread']) {
    const largest = engine.ratios.filter((x) => x.subject === 'bot' && x.mode === mode).at(-1);
    const base = engine.ratios.filter((x) => x.subject === 'floor' && x.mode === mode).at(-1);
    if (!largest) continue;
    const figure = `engine ${int(largest.calls)} / ${int(largest.against)} calls, ${who(largest.calls, mode)}`;
    out.push({ id: mode === 'active' ? '4r' : '4rs', figure, value: `${ratio(largest.ratio)} x`, ratio: base ? `floor ${ratio(base.ratio)}` : '', target: '>= 0.90', ok: largest.ratio >= 0.9 });
  }
  for (const r of tuned) {
    for (const mode of ['active', 'spread']) {
      out.push({ id: '4t', figure: `engine, ${int(r.calls)} tracked, ${who(r.calls, mode)}, ${r.flags.join(' ')}`, value: `${int(r[mode].perSecond)} notif/s`, target: 'informational' });
    }
  }
  // What the bot adds to the floor, per notification: if this does not grow with the number of
  // calls, what the bot loses with many calls is the machine's, not the framework's.
  for (const mode of ['active', 'spread']) {
    for (const r of measured(mode)) {
      const base = floor.find((f) => f.calls === r.calls);
      if (!base) continue;
      const own = 1e6 / r[mode].perSecond - 1e6 / base[mode].perSecond;
      out.push({ id: '4o', figure: `bot's own cost over the floor, ${int(r.calls)} tracked, ${who(r.calls, mode)}`, value: `${own.toFixed(2)} µs/notif`, target: 'informational' });
    }
  }
  for (const r of floor) {
    out.push({ id: '4f', figure: `floor (a Map of rosters), ${int(r.calls)} calls, all active`, value: `${int(r.spread.perSecond)} notif/s`, target: 'informational' });
  }
  // Evicting at the maxCalls bound: every notification is a new call, which evicts the oldest.
  const b = engine.bound;
  if (b) {
    out.push({ id: '4b', figure: `engine, new calls at maxCalls = ${int(b.calls)} (each evicts one)`, value: `${int(b.atBound)} notif/s`, target: 'informational' });
    out.push({ id: '4b', figure: `engine, new calls over ${int(b.calls)} tracked, no bound`, value: `${int(b.belowBound)} notif/s`, target: 'informational' });
    out.push({ id: '4br', figure: `engine at its maxCalls bound / below it, ${int(b.calls)} calls, new calls`, value: `${ratio(b.ratio)} x`, ratio: `rounds ${b.rounds.join('/')}`, target: '>= 0.80', ok: b.ratio >= 0.8 });
  }
}

/** One line per HTTP server: what the server itself saw (GC, event loop delay), and whether each delivery changed the roster. */
export function serverNotes(http = {}) {
  const names = { baseline: '(1)', cacheOn: '(2)', cacheOff: '(3)', redis: '(6)' };
  return Object.entries(names)
    .filter(([key]) => http[key]?.server)
    .map(([key, id]) => {
      const r = http[key];
      const changes = r.changesPerDelivery === undefined ? '' : `, rosterUpdated per 202: ${r.changesPerDelivery.toFixed(3)}`;
      return `${id} server CPU ${r.server.cpuCores.toFixed(2)} cores (autocannon ${r.loadGeneratorCores.toFixed(2)}), GC ${(100 * r.server.gcShare).toFixed(1)} % of the time, event-loop delay p99 ${ms(r.server.eventLoopDelayP99Ms)}, rounds ${r.roundsRps.join('/')} req/s${changes}`;
    })
    .concat(
      [['cacheOn', '(2h)'], ['baseline', '(1h)']]
        .filter(([key]) => http[key]?.half?.server)
        .map(([key, id]) => {
          const h = http[key].half;
          return `${id} paced: server event-loop delay p99 ${ms(h.server.eventLoopDelayP99Ms)}, max ${ms(h.server.eventLoopDelayMaxMs)}, GC ${(100 * h.server.gcShare).toFixed(1)} % of the time; the generator fell behind its schedule by ${ms(h.lateMs)} at worst`;
        }),
    )
    .join('\n');
}

/** "Back near baseline": what is left is at most 5 % of the peak growth, or 1 MiB. */
const nearBaseline = (heap) => heap.residualBytes <= Math.max(1024 * 1024, 0.05 * heap.peakGrowthBytes);

export function table(list) {
  const columns = [
    ['#', 'id'],
    ['figure', 'figure'],
    ['result', 'value'],
    ['p50', 'p50'],
    ['p99', 'p99'],
    ['vs (1)', 'ratio'],
    ['target', 'target'],
    ['', 'verdict'],
  ];
  const cells = list.map((r) => ({ ...r, verdict: verdict(r.ok) }));
  const widths = columns.map(([title, key]) => Math.max(title.length, ...cells.map((c) => String(c[key] ?? '').length)));
  const line = (values) => values.map((v, i) => String(v ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns.map(([t]) => t)), line(widths.map((w) => '-'.repeat(w))), ...cells.map((c) => line(columns.map(([, k]) => c[k])))].join('\n');
}

/** Writes bench-results/bench-<timestamp>.json; returns its path. */
export function writeResults(root, data) {
  const dir = join(root, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
