import type { CallRecord } from '@graph-comms/core';

/**
 * How long a call's key lives after a write. An ended call lives until `retentionMs` after it
 * ended (later repeats do not prolong it, as in MemoryCallStore); any other call until
 * `idleTimeoutMs` after this write. Never below 1 ms, which Redis would refuse.
 */
export function ttlOf(record: CallRecord, now: number, retentionMs: number, idleTimeoutMs: number): number {
  if (record.endedAt === undefined) return idleTimeoutMs;
  return Math.max(1, Math.min(retentionMs, record.endedAt + retentionMs - now));
}
