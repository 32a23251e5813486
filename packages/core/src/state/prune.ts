import { isFinal, type CallRecord } from './call-record.js';

/** How many finished operations a call keeps at most, however young. */
export const MAX_FINISHED_OPERATIONS = 64;

/** Drops finished operations and departure notes older than the retention time. */
export function pruneCallRecord(record: CallRecord, now: number, retentionMs: number): CallRecord {
  const cutoff = now - retentionMs;
  let operations = record.operations;
  const finished = Object.values(operations).filter((op) => isFinal(op.status));
  const stale = finished
    .sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))
    .filter((op, rank) => rank >= MAX_FINISHED_OPERATIONS || (op.finishedAt ?? 0) < cutoff);
  if (stale.length > 0) {
    operations = { ...operations };
    for (const op of stale) delete operations[op.key];
  }
  let removed = record.removed;
  const oldRemovals = Object.entries(removed).filter(([, r]) => r.at < cutoff);
  if (oldRemovals.length > 0) {
    removed = { ...removed };
    for (const [key] of oldRemovals) delete removed[key];
  }
  return operations === record.operations && removed === record.removed ? record : { ...record, operations, removed };
}
