import type { Participant } from '../model/graph.js';
import type { CallRecord, OutboxEntry, RosterEntry } from '../state/call-record.js';

// An estimate of the heap a call record takes, in bytes, for MemoryCallStore's `maxBytes`. It
// counts what V8 allocates for plain JSON on 64-bit Node: an object's header and one slot per
// property (names are shared, so not counted), an array's header and one slot per element, a
// string's header and characters, a box for a number that is not a small integer.
//
// It must be cheap: it runs on every write, and a roster notification costs the whole bot about
// 2 µs. So:
// - Records are immutable and a step copies only what it changes: a write is priced by its
//   difference with the record it replaces, and only the parts that are new objects are looked
//   at (with the parts they replace). A roster notification prices the participant it changed,
//   never the operations.
// - A participant, the part that changes most, is priced from its shape, not walked: a fixed
//   cost for what Graph always sends (info, identity, annotations), its media streams, and the
//   length of its id and metadata (the one free-form string). Walking it took 200–300 ns.
// - The rest (the call, operations, departure notes, fingerprints) is walked when it changes.
// - Outbox entries are priced when written and when emitted; their effects only a few levels
//   deep, since what an effect points to further (the call, operations, participants) is mostly
//   the record's own, priced with it.
// It costs about 50 ns a write. Against the heap of 50 000 of the bot's records (one to twenty
// participants, with and without operations), it was 2–25 % above what they took.

const OBJECT = 24;
const ARRAY = 48;
const SLOT = 8;
const STRING = 16;
const BOXED_NUMBER = 16;
/** A participant as Graph sends it, less its media streams and the strings counted apart. */
const PARTICIPANT = 600;
const MEDIA_STREAM = 200;
/** The record object itself, with its numbers (updatedAt, endedAt, sequence...). */
const RECORD = OBJECT + 14 * SLOT + 3 * BOXED_NUMBER;
/** Deeper than this (never, in what Graph sends) a value counts as one object: no walk can overflow the stack. */
const MAX_DEPTH = 32;

/** What a held call costs besides its record: the map entry, the store's holder and the key. */
export const CALL_OVERHEAD_BYTES = 160;

const stringBytes = (value: unknown): number => (typeof value === 'string' ? STRING + ((value.length + 7) & ~7) : 0);

/** The estimated heap bytes of a JSON value, walked. */
export function jsonBytes(value: unknown, depth = 0): number {
  switch (typeof value) {
    case 'string':
      return stringBytes(value);
    case 'number':
      return (value | 0) === value ? 0 : BOXED_NUMBER;
    case 'object': {
      if (value === null) return 0;
      if (depth >= MAX_DEPTH) return OBJECT;
      if (Array.isArray(value)) {
        let bytes = ARRAY + SLOT * value.length;
        for (let i = 0; i < value.length; i += 1) bytes += jsonBytes(value[i], depth + 1);
        return bytes;
      }
      let bytes = OBJECT;
      const object = value as Record<string, unknown>;
      for (const key in object) bytes += SLOT + jsonBytes(object[key], depth + 1);
      return bytes;
    }
    default:
      return 0;
  }
}

const walked = (value: unknown): number => jsonBytes(value, 1);

function participantBytes(p: Participant | undefined): number {
  if (!p) return 0;
  const streams = Array.isArray(p.mediaStreams) ? p.mediaStreams.length : 0;
  return PARTICIPANT + stringBytes(p.id) + stringBytes(p.metadata) + (streams === 0 ? 0 : ARRAY + (SLOT + MEDIA_STREAM) * streams);
}

function entryBytes(value: unknown): number {
  const entry = value as RosterEntry;
  const p = entry.participant as Participant | undefined;
  return OBJECT + 3 * SLOT + (entry.id === p?.id ? 0 : stringBytes(entry.id)) + stringBytes(entry.identity) + participantBytes(p);
}

const numberBytes = (value: unknown): number => (typeof value === 'number' && (value | 0) !== value ? BOXED_NUMBER : 0);

/** A value's own objects down to `levels` deep; what lies below is counted where it is owned. */
function shallowBytes(value: unknown, levels: number): number {
  if (typeof value === 'string') return stringBytes(value);
  if (typeof value === 'number') return numberBytes(value);
  if (typeof value !== 'object' || value === null || levels <= 0) return 0;
  if (Array.isArray(value)) {
    let bytes = ARRAY + SLOT * value.length;
    for (let i = 0; i < value.length; i += 1) bytes += shallowBytes(value[i], levels - 1);
    return bytes;
  }
  let bytes = OBJECT;
  const object = value as Record<string, unknown>;
  for (const key in object) bytes += SLOT + shallowBytes(object[key], levels - 1);
  return bytes;
}

/** An entry, its effects, each effect's payload and what that lists (a roster change's joined...). */
const EFFECT_LEVELS = 4;

function outboxEntryBytes(value: unknown): number {
  const entry = value as OutboxEntry;
  return OBJECT + 5 * SLOT + stringBytes(entry.id) + stringBytes(entry.owner) + numberBytes(entry.seq) + numberBytes(entry.leaseUntil) + shallowBytes(entry.effects, EFFECT_LEVELS);
}

type Pricer = (value: unknown) => number;

const listBytes = (list: readonly unknown[] | undefined, price: Pricer): number => {
  if (!Array.isArray(list)) return walked(list);
  let bytes = ARRAY + SLOT * list.length;
  for (let i = 0; i < list.length; i += 1) bytes += price(list[i]);
  return bytes;
};

/** The estimated heap bytes of a record. */
export function recordBytes(r: CallRecord): number {
  return (
    RECORD +
    stringBytes(r.callId) +
    stringBytes(r.state) +
    walked(r.call) +
    walked(r.resultInfo) +
    walked(r.replacement) +
    listBytes(r.roster, entryBytes) +
    listBytes(r.removed, walked) +
    listBytes(r.operations, walked) +
    listBytes(r.recent, stringBytes) +
    walked(r.tones) +
    walked(r.transfer) +
    listBytes(r.outbox, outboxEntryBytes)
  );
}

/**
 * `recordBytes(next) - recordBytes(prev)`, looking only at what differs. Exact whatever the two
 * records share, as long as neither was modified in place since it was priced.
 */
export function recordBytesDelta(prev: CallRecord, next: CallRecord): number {
  let delta = 0;
  if (prev.callId !== next.callId) delta += stringBytes(next.callId) - stringBytes(prev.callId);
  if (prev.state !== next.state) delta += stringBytes(next.state) - stringBytes(prev.state);
  if (prev.call !== next.call) delta += walked(next.call) - walked(prev.call);
  if (prev.resultInfo !== next.resultInfo) delta += walked(next.resultInfo) - walked(prev.resultInfo);
  if (prev.replacement !== next.replacement) delta += walked(next.replacement) - walked(prev.replacement);
  if (prev.roster !== next.roster) delta += listDelta(prev.roster, next.roster, entryBytes);
  if (prev.removed !== next.removed) delta += listDelta(prev.removed, next.removed, walked);
  if (prev.operations !== next.operations) delta += listDelta(prev.operations, next.operations, walked);
  if (prev.recent !== next.recent) delta += listDelta(prev.recent, next.recent, stringBytes);
  if (prev.tones !== next.tones) delta += walked(next.tones) - walked(prev.tones);
  if (prev.transfer !== next.transfer) delta += walked(next.transfer) - walked(prev.transfer);
  if (prev.outbox !== next.outbox) delta += listDelta(prev.outbox, next.outbox, outboxEntryBytes);
  return delta;
}

/**
 * The difference between two lists, pairing the elements they share: a step replaces an element
 * in place, appends, or removes some (a departure, `recent` dropping its oldest). Every element
 * of either is counted once, paired or priced, so any pairing gives the exact difference; a good
 * one only prices less.
 */
function listDelta(a: readonly unknown[] | undefined, b: readonly unknown[] | undefined, price: Pricer): number {
  if (!Array.isArray(a) || !Array.isArray(b)) return listBytes(b, price) - listBytes(a, price);
  let delta = SLOT * (b.length - a.length);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === y) {
      i += 1;
      j += 1;
    } else if (i + 1 < a.length && a[i + 1] === y) {
      delta -= price(x); // x left
      i += 1;
    } else if (j + 1 < b.length && b[j + 1] === x) {
      delta += price(y); // y came in before x
      j += 1;
    } else {
      delta += price(y) - price(x); // y replaced x
      i += 1;
      j += 1;
    }
  }
  for (; i < a.length; i += 1) delta -= price(a[i]);
  for (; j < b.length; j += 1) delta += price(b[j]);
  return delta;
}
