import { isRecord } from '../model/json.js';
import { kindOfResource } from '../operations/resources.js';
import type { CallRecord, OperationRecord, RemovedEntry, RosterEntry, RosterKey } from './call-record.js';

type Table<T> = Record<string, T>;

/** An operation as versions before operation kinds wrote it. */
type OldOperation = Omit<OperationRecord, 'kind' | 'sent'> & { kind?: OperationRecord['kind']; sent?: boolean; sentByBot?: boolean; invited?: OperationRecord['participants'] };

/**
 * A record in the current shape. Records written by earlier versions kept the roster, the
 * departure notes and the operations as tables keyed by `p:<id>`, `i:<identity>` and
 * `c:<clientContext>`, and knew only invites (`sentByBot`, `invited`); a store shared with such
 * processes (Redis during a rolling upgrade) may still hold them. A record already in the
 * current shape is returned as it is.
 */
export function upgradeCallRecord(record: CallRecord): CallRecord {
  const { roster, removed, operations } = record as unknown as { roster: unknown; removed: unknown; operations: unknown };
  if (Array.isArray(roster) && Array.isArray(removed) && Array.isArray(operations) && operations.every(isCurrent)) return record;
  const ops = Array.isArray(operations) ? (operations as OldOperation[]) : fromTable(operations as Table<OldOperation> | undefined, (key, op) => ({ ...op, key: op.key ?? key }));
  return {
    ...record,
    roster: Array.isArray(roster) ? roster : fromTable(roster as Table<Omit<RosterEntry, keyof RosterKey>> | undefined, (key, e) => ({ ...keyOf(key), ...e })),
    removed: Array.isArray(removed) ? removed : fromTable(removed as Table<Omit<RemovedEntry, keyof RosterKey>> | undefined, (key, e) => ({ ...keyOf(key), ...e })),
    operations: ops.map(upgradeOperation),
  };
}

const isCurrent = (op: unknown): boolean => isRecord(op) && typeof op['kind'] === 'string' && typeof op['sent'] === 'boolean';

function upgradeOperation(op: OldOperation): OperationRecord {
  if (isCurrent(op)) return op as OperationRecord;
  const { sentByBot, invited, ...rest } = op;
  // Before kinds, the bot sent invites only.
  const upgraded: OperationRecord = { ...rest, sent: op.sent ?? sentByBot === true, kind: op.kind ?? (sentByBot ? 'invite' : kindOfResource(op.operation)) };
  if (invited && !upgraded.participants) upgraded.participants = invited;
  return upgraded;
}

const keyOf = (key: string): RosterKey => (key.startsWith('p:') ? { id: key.slice(2) } : { identity: key.slice(2) });

function fromTable<T, U>(table: Table<T> | undefined, convert: (key: string, value: T) => U): U[] {
  return isRecord(table) ? Object.entries(table).map(([key, value]) => convert(key, value as T)) : [];
}
