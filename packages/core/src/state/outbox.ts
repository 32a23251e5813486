import type { CallRecord, OutboxEntry } from './call-record.js';
import type { Effect, Step } from './effects.js';

/** Who writes, and for how long what it writes is its own to emit. */
export interface OutboxWriter {
  /** This process's id. */
  owner: string;
  /** How long after a write its entry is the writer's alone to emit. */
  leaseMs: number;
  /** A new entry id, never used before by any process (a call that expired and came back must never reuse one). */
  newId(): string;
  /** Whether this process is still emitting that entry: it is never taken over from itself. */
  busy?(id: string): boolean;
}

/** A step as committed with its outbox: what to emit now, and what the step said outside it. */
export interface OutboxStep<T> extends Step<T> {
  /** The entries this process emits once the write is in: those it took over, then its own. */
  emitting: OutboxEntry[];
  /** Effects of a step that wrote nothing (a repeat): acted on at once, not kept. */
  direct: Effect[];
}

/**
 * Puts a step's effects in its record's outbox, so that they are committed with the state they
 * describe, and takes over the entries whose lease ended (their writer died before it emitted
 * them). A step that writes nothing keeps nothing: its effects were not committed, and Graph's
 * redelivery would produce them again. Pure but for the fresh record it extends in place.
 */
export function withOutbox<T>(before: CallRecord | undefined, step: Step<T>, now: number, writer: OutboxWriter): OutboxStep<T> {
  const writes = step.record !== undefined && step.record !== before;
  const base = writes ? step.record : before;
  const pending = base?.outbox;
  let stale = 0;
  if (pending) for (const entry of pending) if (isStale(entry, now, writer)) stale++;
  if (!base || (stale === 0 && (!writes || step.effects.length === 0))) {
    return { record: step.record, value: step.value, effects: step.effects, emitting: [], direct: writes ? [] : step.effects };
  }
  const leaseUntil = now + writer.leaseMs;
  const outbox: OutboxEntry[] = [];
  const emitting: OutboxEntry[] = [];
  let seq = 0;
  for (const entry of pending ?? []) {
    seq = Math.max(seq, entry.seq);
    if (!isStale(entry, now, writer)) outbox.push(entry);
    else {
      const taken = { ...entry, owner: writer.owner, leaseUntil };
      outbox.push(taken);
      emitting.push(taken);
    }
  }
  if (writes && step.effects.length > 0) {
    const fresh: OutboxEntry = { id: writer.newId(), seq: Math.max(seq + 1, now), owner: writer.owner, leaseUntil, effects: step.effects };
    outbox.push(fresh);
    emitting.push(fresh);
  }
  // A record the step just made is not yet shared with anyone: extending it spares a copy per
  // notification. A step that wrote nothing gets a copy of the stored record.
  const record: CallRecord = writes ? base : { ...base };
  record.outbox = outbox;
  return { record, value: step.value, effects: step.effects, emitting, direct: writes ? [] : step.effects };
}

// Module-level rather than a closure in `withOutbox`, which runs once per commit.
function isStale(entry: OutboxEntry, now: number, writer: OutboxWriter): boolean {
  return entry.leaseUntil <= now && !writer.busy?.(entry.id);
}

/** A copy of the record without those entries (and no `outbox` once it is empty); the record itself when it holds none of them. */
export function removeEntries(record: CallRecord, ids: readonly string[]): CallRecord {
  if (!record.outbox?.some((entry) => ids.includes(entry.id))) return record;
  const outbox = record.outbox.filter((entry) => !ids.includes(entry.id));
  const { outbox: _emitted, ...rest } = record;
  return outbox.length > 0 ? { ...rest, outbox } : rest;
}

/** The record without the entries just emitted (for stores with no `markEmitted` of their own). */
export function withoutEntries(record: CallRecord | undefined, ids: readonly string[]): Step<void> {
  return { record: record && removeEntries(record, ids), effects: [], value: undefined };
}
