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
  const kept = operations.filter((op) => !isFinal(op.status) || (op.finishedAt ?? 0) >= cutoff);
  // Usually one over the bound (a step finishes one operation): drop the earliest finished, one
  // walk each, rather than sort them all on every step.
  let finished = kept.reduce((n, op) => (isFinal(op.status) ? n + 1 : n), 0);
  while (finished > MAX_FINISHED_OPERATIONS) {
    let oldest = -1;
    for (let i = 0; i < kept.length; i += 1) {
      const op = kept[i]!;
      if (isFinal(op.status) && (oldest === -1 || (op.finishedAt ?? 0) < (kept[oldest]!.finishedAt ?? 0))) oldest = i;
    }
    kept.splice(oldest, 1);
    finished -= 1;
  }
  return kept;
}
