import { canonicalId } from '../model/ids.js';
import { isFinal, type OperationRecord } from './call-record.js';

/** What every step asks of a call's operations, without walking them each time. */
export interface OperationSummary {
  /** How many are final. */
  readonly finished: number;
  /** The earliest `finishedAt` among the final ones (Infinity when none). */
  readonly oldestFinishedAt: number;
  /** Whether one of them is an invite the bot sent. */
  readonly sentInvites: boolean;
  /** How many are pending and were not sent by the bot. */
  readonly unsentPending: number;
  /** Whether an id is kept in a form other than the canonical one (records from older versions). */
  readonly otherForm: boolean;
  /** {@link hashOf} each operation's id, by position (empty below {@link SUMMARY_FROM} operations). */
  readonly idHashes: readonly number[];
  /** {@link hashOf} each operation's key, by position (empty below {@link SUMMARY_FROM} operations). */
  readonly keyHashes: readonly number[];
}

/**
 * A small-integer hash of a string (FNV-1a, 30 bits, 0 for null). Looking an operation up by
 * comparing these first reads one packed array instead of every operation object and its
 * strings: at a few hundred calls of dozens of operations each, those reads miss the caches,
 * and a lookup cost 30 µs where one call's hot lookup cost 6.
 */
export function hashOf(text: string | null): number {
  if (text === null) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h & 0x3fffffff) | 1; // never 0, the hash of null
}


// Steps never change an operations array in place, they make a new one: an array seen before
// has the summary it had, and an array made from another by `replacedAt` gets its summary from
// the other's. A call keeps up to 64 finished operations, and walking them at every step, their
// objects spread over the heap, cost more than the rest of the step at a few hundred active
// calls. Records read from a store that parses them are new arrays, walked once.
const summaries = new WeakMap<readonly OperationRecord[], OperationSummary>();

const unsentPending = (op: OperationRecord): boolean => !op.sent && !isFinal(op.status);
const sentInvite = (op: OperationRecord): boolean => op.sent && op.kind === 'invite';
// An id canonicalId would change (records from before ids were kept canonical).
const inOtherForm = (op: OperationRecord): boolean => op.id !== null && canonicalId(op.id) !== op.id;

/**
 * Below this many operations a walk is cheap and a cached summary is not: most calls hold one
 * or two, and a summary kept for each cost some 200 bytes of heap per pending operation.
 */
export const SUMMARY_FROM = 8;

/**
 * The questions steps ask, answered from the summary for many operations, and by walking a few
 * (without allocating: a roster step asks at every notification).
 */
const many = (operations: readonly OperationRecord[]): boolean => operations.length >= SUMMARY_FROM;

/** How many of `operations` are final. */
export function finishedCount(operations: readonly OperationRecord[]): number {
  if (many(operations)) return summaryOf(operations).finished;
  let n = 0;
  for (let i = 0; i < operations.length; i += 1) if (isFinal(operations[i]!.status)) n += 1;
  return n;
}

/** The earliest `finishedAt` among the final ones of `operations` (Infinity when none). */
export function earliestFinish(operations: readonly OperationRecord[]): number {
  if (many(operations)) return summaryOf(operations).oldestFinishedAt;
  let at = Infinity;
  for (let i = 0; i < operations.length; i += 1) {
    const op = operations[i]!;
    if (isFinal(op.status) && (op.finishedAt ?? 0) < at) at = op.finishedAt ?? 0;
  }
  return at;
}

/** Whether one of `operations` is an invite the bot sent. */
export const hasSentInvite = (operations: readonly OperationRecord[]): boolean => (many(operations) ? summaryOf(operations).sentInvites : operations.some(sentInvite));

/** How many of `operations` are pending and were not sent by the bot. */
export function unsentPendingCount(operations: readonly OperationRecord[]): number {
  if (many(operations)) return summaryOf(operations).unsentPending;
  let n = 0;
  for (let i = 0; i < operations.length; i += 1) if (unsentPending(operations[i]!)) n += 1;
  return n;
}

/**
 * The first position from `from` whose `field` is `value`. Among many operations, their packed
 * hashes are compared first (see {@link hashOf}), and only a candidate's field for real.
 */
export function indexOfField(operations: readonly OperationRecord[], field: 'id' | 'key', value: string, from = 0): number {
  const hashes = many(operations) ? (field === 'id' ? summaryOf(operations).idHashes : summaryOf(operations).keyHashes) : NO_HASHES;
  const hash = hashes.length === 0 ? 0 : hashOf(value);
  for (let i = from; i < operations.length; i += 1) {
    if (hashes.length !== 0 && hashes[i] !== hash) continue;
    if (operations[i]![field] === value) return i;
  }
  return -1;
}

/** Whether an id of `operations` may be kept in a form other than the canonical one. */
export const mayHoldOtherForms = (operations: readonly OperationRecord[]): boolean => (many(operations) ? summaryOf(operations).otherForm : operations.some(inOtherForm));

/** The summary of `operations`, computed once per array (of {@link SUMMARY_FROM} or more). */
export function summaryOf(operations: readonly OperationRecord[]): OperationSummary {
  let summary = summaries.get(operations);
  if (summary) return summary;
  const cached = operations.length >= SUMMARY_FROM;
  summary = walk(operations, cached);
  if (cached) summaries.set(operations, summary);
  return summary;
}

const NO_HASHES: readonly number[] = Object.freeze([]);

function walk(operations: readonly OperationRecord[], hashed: boolean): OperationSummary {
  let finished = 0;
  let oldestFinishedAt = Infinity;
  let invites = false;
  let unsent = 0;
  let otherForm = false;
  const idHashes: number[] = [];
  const keyHashes: number[] = [];
  for (const op of operations) {
    if (hashed) {
      idHashes.push(hashOf(op.id));
      keyHashes.push(hashOf(op.key));
    }
    if (sentInvite(op)) invites = true;
    if (inOtherForm(op)) otherForm = true;
    if (!isFinal(op.status)) {
      if (!op.sent) unsent += 1;
      continue;
    }
    finished += 1;
    const at = op.finishedAt ?? 0;
    if (at < oldestFinishedAt) oldestFinishedAt = at;
  }
  return { finished, oldestFinishedAt, sentInvites: invites, unsentPending: unsent, otherForm, idHashes: hashed ? idHashes : NO_HASHES, keyHashes: hashed ? keyHashes : NO_HASHES };
}

/** A copy of `operations` with `op` at `at` (appended when `at` is -1); its summary follows from theirs. */
export function replacedAt(operations: readonly OperationRecord[], at: number, op: OperationRecord): OperationRecord[] {
  const next = operations.slice();
  const before = at === -1 ? undefined : next[at];
  if (at === -1) next.push(op);
  else next[at] = op;
  if (next.length < SUMMARY_FROM) return next;
  const known = summaries.get(operations);
  const derived = known && derive(known, before, op, at);
  if (derived) summaries.set(next, derived);
  return next;
}

// Undefined when only a walk can tell (the earliest finished one, or the only sent invite, left).
function derive(summary: OperationSummary, before: OperationRecord | undefined, op: OperationRecord, at: number): OperationSummary | undefined {
  const wasFinal = before !== undefined && isFinal(before.status);
  const nowFinal = isFinal(op.status);
  if (wasFinal && (before.finishedAt ?? 0) === summary.oldestFinishedAt && !(nowFinal && (op.finishedAt ?? 0) <= summary.oldestFinishedAt)) return undefined;
  if (before !== undefined && sentInvite(before) && !sentInvite(op)) return undefined;
  if (before !== undefined && inOtherForm(before) && !inOtherForm(op)) return undefined;
  const idHashes = summary.idHashes.slice();
  const keyHashes = summary.keyHashes.slice();
  if (at === -1) {
    idHashes.push(hashOf(op.id));
    keyHashes.push(hashOf(op.key));
  } else {
    idHashes[at] = before!.id === op.id ? idHashes[at]! : hashOf(op.id);
    keyHashes[at] = before!.key === op.key ? keyHashes[at]! : hashOf(op.key);
  }
  return {
    finished: summary.finished - (wasFinal ? 1 : 0) + (nowFinal ? 1 : 0),
    oldestFinishedAt: nowFinal ? Math.min(summary.oldestFinishedAt, op.finishedAt ?? 0) : summary.oldestFinishedAt,
    sentInvites: summary.sentInvites || sentInvite(op),
    unsentPending: summary.unsentPending - (before !== undefined && unsentPending(before) ? 1 : 0) + (unsentPending(op) ? 1 : 0),
    otherForm: summary.otherForm || inOtherForm(op),
    idHashes,
    keyHashes,
  };
}
