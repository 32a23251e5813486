import { isFinal, type CallRecord, type OperationRecord } from './call-record.js';
import { earliestFinish, finishedCount } from './operation-summary.js';

/** How many finished operations a call keeps at most, however young. */
const MAX_FINISHED_OPERATIONS = 64;
/**
 * How many are kept when there are more: the oldest go several at a time, so that a call at the
 * bound does not copy and walk its operations again at every operation that finishes.
 */
const KEPT_FINISHED_OPERATIONS = 48;

/**
 * Drops finished operations and departure notes older than the retention time. Runs on every
 * step, so it allocates nothing when there is nothing to drop, and reads the operations' summary
 * rather than walk them.
 */
export function pruneCallRecord(record: CallRecord, now: number, retentionMs: number): CallRecord {
  const cutoff = now - retentionMs;
  const finished = finishedCount(record.operations);
  const staleOperation = earliestFinish(record.operations) < cutoff;
  const staleRemoval = record.removed.some((r) => r.at < cutoff);
  if (!staleOperation && finished <= MAX_FINISHED_OPERATIONS && !staleRemoval) return record;

  const operations = staleOperation || finished > MAX_FINISHED_OPERATIONS ? keptOperations(record.operations, cutoff) : record.operations;
  const removed = staleRemoval ? record.removed.filter((r) => r.at >= cutoff) : record.removed;
  return { ...record, operations, removed };
}

function keptOperations(operations: OperationRecord[], cutoff: number): OperationRecord[] {
  const fresh = operations.filter((op) => !isFinal(op.status) || (op.finishedAt ?? 0) >= cutoff);
  const finished = fresh.filter((op) => isFinal(op.status));
  if (finished.length <= MAX_FINISHED_OPERATIONS) return fresh;
  // The earliest finished go, down to KEPT_FINISHED_OPERATIONS (a stable sort: of two that
  // finished together, the older goes first).
  const dropped = new Set(finished.sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0)).slice(0, finished.length - KEPT_FINISHED_OPERATIONS));
  return fresh.filter((op) => !dropped.has(op));
}
