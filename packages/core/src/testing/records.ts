import type { CallRecord, OutboxEntry } from '../state/call-record.js';
import type { Step } from '../state/effects.js';
import type { CallStore } from '../store/call-store.js';

/** A record with nothing in it but its id. */
export const blankRecord = (callId: string, now = Date.now()): CallRecord => ({ callId, roster: [], removed: [], operations: [], recent: [], updatedAt: now });

/** A step that stores `record` (whatever was there), valued at `value`. */
export const storing =
  <T = void>(record: CallRecord | undefined, value?: T) =>
  (): Step<T> => ({ record, effects: [], value: value as T });

/** Stores `record` under its own id. */
export const put = (store: CallStore, record: CallRecord): Promise<Step<void>> => store.updateCall(record.callId, storing(record));

/** The counter the increment steps keep (in `rosterSequence`, a field every store keeps). */
export const countOf = (record: CallRecord | undefined): number => record?.rosterSequence ?? 0;

/** A step adding one to the call's counter, valued at the count it wrote. */
export const increment =
  (callId: string) =>
  (record: CallRecord | undefined): Step<number> => {
    const count = countOf(record) + 1;
    return { record: { ...(record ?? blankRecord(callId)), rosterSequence: count, updatedAt: Date.now() }, effects: [], value: count };
  };

/** An outbox entry with a little of everything an effect holds. */
export const entry = (callId: string, id: string, seq: number, leaseUntil: number, owner = 'process-1'): OutboxEntry => ({
  id,
  seq,
  owner,
  leaseUntil,
  effects: [
    { type: 'keepAlive', callId, running: true },
    { type: 'emit', name: 'toneReceived', payload: { callId, tone: 'tone5', sequenceId: seq } },
  ],
});

/** `record` with these outbox entries. */
export const withEntries = (record: CallRecord, ...entries: OutboxEntry[]): CallRecord => ({ ...record, outbox: entries });

/** The record without its outbox, to compare what else a change left. */
export function withoutOutbox(record: CallRecord | undefined): Omit<CallRecord, 'outbox'> | undefined {
  if (!record) return undefined;
  const { outbox: _outbox, ...rest } = record;
  return rest;
}

/** The ids of a record's outbox entries, in the order it holds them. */
export const entryIds = (record: CallRecord | undefined): string[] => (record?.outbox ?? []).map((e) => e.id);
