import type { OutboxEntry } from '@graph-comms/core';

/** A call's outbox as read: each entry with the exact JSON it is stored as. */
export type StoredOutbox = Map<string, { entry: OutboxEntry; json: string }>;

/** Parses the outbox hash (a flat field/value list); an entry that is not one is a store failure. */
export function parseOutbox(fields: unknown, callId: string): StoredOutbox {
  const outbox: StoredOutbox = new Map();
  if (!Array.isArray(fields)) throw new Error(`the outbox of call ${callId} is not a hash`);
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [id, json] = [fields[i], fields[i + 1]];
    const entry: unknown = typeof json === 'string' ? JSON.parse(json) : undefined;
    if (typeof id !== 'string' || typeof json !== 'string' || (entry as { id?: unknown } | null)?.id !== id) throw new Error(`the outbox of call ${callId} holds something that is not an entry`);
    outbox.set(id, { entry: entry as OutboxEntry, json });
  }
  return outbox;
}

/** The entries in the order steps see them: by `seq`. */
export function sortedEntries(outbox: StoredOutbox): OutboxEntry[] {
  return [...outbox.values()].map((e) => e.entry).sort((a, b) => a.seq - b.seq);
}

/** What a write does to the outbox: entries to add, entries taken over (changed), ids to drop, and the latest lease written. */
export interface OutboxChange {
  added: Array<[string, string]>;
  changed: Array<[string, string]>;
  dropped: string[];
  /** The latest `leaseUntil` among the entries written (a malformed one counts as 0: swept at once); undefined when none is written. */
  latestLease: number | undefined;
}

/**
 * Compares the outbox a step returned with the one it was given. An entry kept unchanged (the
 * same object, or the same JSON) is not written, so that one emitted meanwhile stays removed.
 */
export function outboxChange(read: StoredOutbox, next: readonly OutboxEntry[] | undefined): OutboxChange {
  const change: OutboxChange = { added: [], changed: [], dropped: [], latestLease: undefined };
  if (next !== undefined && !Array.isArray(next)) throw new TypeError('a record’s outbox must be an array of entries');
  const kept = new Set<string>();
  for (const entry of next ?? []) {
    const id = (entry as Partial<OutboxEntry> | null)?.id;
    if (typeof id !== 'string' || id === '') throw new TypeError('every outbox entry needs a non-empty string id');
    if (kept.has(id)) throw new TypeError(`outbox entry ${id} appears twice`);
    kept.add(id);
    const before = read.get(id);
    if (before?.entry === entry) continue;
    const json = JSON.stringify(entry);
    if (before?.json === json) continue;
    (before ? change.changed : change.added).push([id, json]);
    const lease = typeof entry.leaseUntil === 'number' && !Number.isNaN(entry.leaseUntil) ? entry.leaseUntil : 0;
    change.latestLease = Math.max(change.latestLease ?? -Infinity, lease);
  }
  for (const id of read.keys()) if (!kept.has(id)) change.dropped.push(id);
  return change;
}
