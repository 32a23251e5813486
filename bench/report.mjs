// The benchmark's output: machine info, the table (with informational PASS/MISS against the
// targets), and the JSON file in bench-results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { httpRows } from './report-http.mjs';

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
const ratio = (n) => (Number.isFinite(n) ? n.toFixed(2) : '-');
const bytes = (n) => (Math.abs(n) >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : Math.abs(n) >= 1024 ? `${(n / 1024).toFixed(2)} KiB` : `${Math.round(n)} B`);
const verdict = (ok) => (ok === undefined ? '' : ok ? 'PASS' : 'MISS');
const failed = (r) => (r?.error ? `error: ${r.error.split('\n')[0].slice(0, 60)}` : r?.skipped ? `skipped: ${r.skipped}` : undefined);

/** The table rows: { id, figure, value, p50, p99, ratio, target, ok }. */
export function rows(results) {
  const { http = {}, engine = {}, allocations, heap } = results;
  const out = httpRows(http);
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

/** "Back near baseline": what is left is at most 5 % of the peak growth, or 1 MiB. */
const nearBaseline = (heap) => heap.residualBytes <= Math.max(1024 * 1024, 0.05 * heap.peakGrowthBytes);

export function table(list) {
  const columns = [
    ['#', 'id'],
    ['figure', 'figure'],
    ['result', 'value'],
    ['p50', 'p50'],
    ['p99', 'p99'],
    ['ratio (min–max)', 'ratio'],
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
