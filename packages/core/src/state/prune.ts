import { isFinal, type CallRecord, type OperationRecord } from './call-record.js';

/** How many finished operations a call keeps at most, however young. */
const MAX_FINISHED_OPERATIONS = 64;

/**
 * Drops finished operations and departure notes older than the retention time. Runs on every
 * step, so it allocates nothing when there is nothing to drop.
 */
export function pruneCallRecord(record: CallRecord, now: number, retentionMs: number): CallRecord {
  const cutoff = now - retentionMs;
  let finished = 0;
  let staleOperation = false;
  for (const op of record.operations) {
    if (!isFinal(op.status)) continue;
    finished++;
    if ((op.finishedAt ?? 0) < cutoff) staleOperation = true;
  }
  const staleRemoval = record.removed.some((r) => r.at < cutoff);
  if (!staleOperation && finished <= MAX_FINISHED_OPERATIONS && !staleRemoval) return record;

  const operations = staleOperation || finished > MAX_FINISHED_OPERATIONS ? keptOperations(record.operations, cutoff) : record.operations;
  const removed = staleRemoval ? record.removed.filter((r) => r.at >= cutoff) : record.removed;
  return { ...record, operations, removed };
}

function keptOperations(operations: OperationRecord[], cutoff: number): OperationRecord[] {
  const finished = operations.filter((op) => isFinal(op.status)).sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0));
  const dropped = new Set(finished.filter((op, rank) => rank >= MAX_FINISHED_OPERATIONS || (op.finishedAt ?? 0) < cutoff));
  return operations.filter((op) => !dropped.has(op));
}
