// The benchmark's output: machine info, the table (with informational PASS/MISS against the
// targets), and the JSON file in bench-results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { httpRows } from './report-http.mjs';
import { allocationRows, redisCostRows, scaleRows } from './report-costs.mjs';
import { engineRows } from './report-engine.mjs';
import { bytes, failed, int } from './lib/format.mjs';

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

const verdict = (ok) => (ok === undefined ? '' : ok ? 'PASS' : 'MISS');

/** The table rows: { id, figure, value, p50, p99, ratio, target, ok }. */
export function rows(results) {
  const { http = {}, engine = {}, allocations, allocationsOutbox, heap, scale, redisCost } = results;
  const out = httpRows(http);
  engineRows(engine, out);
  allocationRows(allocations, allocationsOutbox, out);
  if (failed(heap) || !heap) out.push({ id: '5', figure: 'heap', value: failed(heap) ?? 'not run' });
  else {
    out.push({ id: '5a', figure: `heap per pending operation (${int(heap.calls)} invites)`, value: bytes(heap.perPendingOperationBytes), target: '<= 2 KiB', ok: heap.perPendingOperationBytes <= 2048 });
    out.push({ id: '5b', figure: `heap per roster participant (${int(heap.calls * heap.participantsPerCall)})`, value: bytes(heap.perParticipantBytes), target: 'informational' });
    const near = nearBaseline(heap);
    out.push({ id: '5c', figure: 'heap after calls ended + retention vs start', value: `${heap.residualBytes >= 0 ? '+' : ''}${bytes(heap.residualBytes)} (peak +${bytes(heap.peakGrowthBytes)})`, target: 'near start', ok: near });
  }
  scaleRows(scale, out);
  redisCostRows(redisCost, out);
  return out;
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
