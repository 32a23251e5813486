// Small numeric helpers.
import { setImmediate } from 'node:timers';

/** Nearest-rank percentile of ascending `sorted` (q in 0..1); NaN when empty. */
export function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** The median of the finite values; NaN when there are none. */
export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Per-round ratios as a figure: their median, min and max, and the rounds to three decimals. */
export const spreadOf = (ratios) => ({ median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), rounds: ratios.map((r) => Number(r.toFixed(3))) });

/** Heap in use after full collections (needs --expose-gc). */
export async function settledHeap() {
  for (let i = 0; i < 4; i += 1) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}
