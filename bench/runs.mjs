// `node bench/runs.mjs [file.json ...]`: the figures of several full runs side by side (by default
// the three latest in bench-results/), each with the spread of its ratio (or value) across them:
// what the README's Performance section is restated from.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib/stats.mjs';

/** The leading number of a table cell ("0.85 (0.67–1.02)", "6,883 req/s", "+1.2 MiB"), or NaN. */
export function leadingNumber(cell) {
  const match = /^[+-]?[\d,]*\.?\d+/.exec(String(cell ?? '').trim());
  return match ? Number(match[0].replace(/,/g, '')) : NaN;
}

/**
 * The cell a row is judged by: its p99 for a latency row, the last of its ratios (the one its
 * target names: "(6) ... x (2)") when it has a numeric one, else its value.
 */
export function cellOf(row) {
  if (String(row.target ?? '').startsWith('p99') || /h$/.test(row.id)) return row.p99;
  const ratio = String(row.ratio ?? '').split(', ').at(-1);
  return ratio && ratio !== '1.00' && /^\d+\.\d+( \(| x|$)/.test(ratio) ? ratio : row.value;
}

// What a figure's name says of its own run: the pace of (2h)/(1h), the operations (4k)'s calls held.
const sameFigure = (figure) => figure.replace(/paced at [\d,]+ req\/s/, 'paced at # req/s').replace(/\(\d+ operations a call by the end\)/, '(# operations a call by the end)');

/** Rows of every run, matched by figure id and name (its numbers of that run aside), with per-run cells and their spread. */
export function sideBySide(runs) {
  const rows = new Map();
  runs.forEach((run, i) => {
    for (const row of run.table) {
      const key = `${row.id}\t${sameFigure(row.figure)}`;
      if (!rows.has(key)) rows.set(key, { id: row.id, figure: row.figure, target: row.target, cells: [] });
      rows.get(key).cells[i] = cellOf(row);
    }
  });
  return [...rows.values()].map((row) => {
    const numbers = row.cells.map(leadingNumber).filter(Number.isFinite);
    return { ...row, median: median(numbers), min: Math.min(...numbers), max: Math.max(...numbers) };
  });
}

const main = () => {
  const dir = fileURLToPath(new URL('../bench-results/', import.meta.url));
  const given = process.argv.slice(2);
  const read = (file) => JSON.parse(readFileSync(file, 'utf8'));
  const runs = given.length > 0
    ? given.map(read)
    : readdirSync(dir).filter((f) => /^bench-.*\.json$/.test(f)).sort().map((f) => read(join(dir, f))).filter((r) => r.mode === 'full').slice(-3);
  console.log(`${runs.length} runs: ${runs.map((r) => `${r.startedAt} (${r.mode})`).join(', ')} on ${runs[0]?.machine?.cpuModel}`);
  for (const row of sideBySide(runs)) {
    const spread = Number.isFinite(row.median) ? `median ${row.median} (${row.min}–${row.max})` : '';
    console.log(`${row.id.padEnd(4)} ${row.figure.slice(0, 80).padEnd(80)}  ${row.cells.map((c) => String(c ?? '-').slice(0, 24).padEnd(24)).join(' ')}  ${spread}${row.target ? `  [${row.target}]` : ''}`);
  }
};
if (process.argv[1] === fileURLToPath(import.meta.url)) main();
