// Small numeric helpers.
import { setImmediate } from 'node:timers';

/** Nearest-rank percentile of ascending `sorted` (q in 0..1); NaN when empty. */
export function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

/** Heap in use after full collections (needs --expose-gc). */
export async function settledHeap() {
  for (let i = 0; i < 4; i += 1) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}
