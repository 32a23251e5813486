import { isRecord } from '../model/json.js';
import type { CallRecord, OperationRecord, RemovedEntry, RosterEntry, RosterKey } from './call-record.js';

type Table<T> = Record<string, T>;

/**
 * A record in the current shape. Records written by earlier versions kept the roster, the
 * departure notes and the operations as tables keyed by `p:<id>`, `i:<identity>` and
 * `c:<clientContext>`; a store shared with such processes (Redis during a rolling upgrade) may
 * still hold them. A record already in the current shape is returned as it is.
 */
export function upgradeCallRecord(record: CallRecord): CallRecord {
  const { roster, removed, operations } = record as unknown as { roster: unknown; removed: unknown; operations: unknown };
  if (Array.isArray(roster) && Array.isArray(removed) && Array.isArray(operations)) return record;
  return {
    ...record,
    roster: Array.isArray(roster) ? roster : fromTable(roster as Table<Omit<RosterEntry, keyof RosterKey>> | undefined, (key, e) => ({ ...keyOf(key), ...e })),
    removed: Array.isArray(removed) ? removed : fromTable(removed as Table<Omit<RemovedEntry, keyof RosterKey>> | undefined, (key, e) => ({ ...keyOf(key), ...e })),
    operations: Array.isArray(operations) ? operations : fromTable(operations as Table<OperationRecord> | undefined, (key, op) => ({ ...op, key: op.key ?? key })),
  };
}

const keyOf = (key: string): RosterKey => (key.startsWith('p:') ? { id: key.slice(2) } : { identity: key.slice(2) });

function fromTable<T, U>(table: Table<T> | undefined, convert: (key: string, value: T) => U): U[] {
  return isRecord(table) ? Object.entries(table).map(([key, value]) => convert(key, value as T)) : [];
}
