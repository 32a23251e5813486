import type { CommsOperation, ResultInfo } from '../model/graph.js';
import { canonicalId, sameId } from '../model/ids.js';
import { asResultInfo, nonEmptyString } from '../model/json.js';
import { kindOfResource } from '../operations/resources.js';
import { normalizeStatus, type ChangeType } from '../text/case.js';
import { contextKey, idKey, isFinal, operationAt, operationKey, type CallRecord, type OperationRecord, type OperationState } from './call-record.js';
import type { Effect, StepEnv } from './effects.js';
import { inviteFollowUps } from './invite-follow-ups.js';

/**
 * How many pending operations a call keeps that the bot did not send: beyond, the oldest is
 * forgotten (no event), so that a flood of unknown operations cannot make every step slower.
 */
export const MAX_UNSENT_PENDING = 256;

/** How far along each state is; an operation never moves back. */
export const RANK: Record<OperationState, number> = { notStarted: 0, running: 1, completed: 2, failed: 2, timedOut: 2 };

/**
 * Finds an operation by id (in either of Graph's forms), then by clientContext. A clientContext
 * match is refused when both sides know their ids and they differ: that is an older operation
 * that reused the context.
 */
function findOperation(record: CallRecord, id: string | null, clientContext: string | null): OperationRecord | undefined {
  // One walk over the call's operations (finished ones are kept a while, so there may be dozens):
  // records keep ids canonical, so an id match is one comparison; the context match is noted on
  // the way, and only a miss looks again in either form (records from before ids were canonical).
  const wanted = id ? canonicalId(id) : null;
  const key = clientContext ? contextKey(clientContext) : undefined;
  let byContext: OperationRecord | undefined;
  // Oldest first: two operations may carry one id (Graph's own examples do), and the older one,
  // sent first, is the one a notification of that id speaks of.
  for (const op of record.operations) {
    if (wanted !== null && op.id === wanted) return op;
    if (key !== undefined && byContext === undefined && op.key === key) byContext = op;
  }
  if (id) {
    const byId = record.operations.find((op) => op.id !== null && inOtherForm(op.id) && sameId(op.id, id));
    if (byId) return byId;
  }
  if (byContext && (!id || !byContext.id || sameId(byContext.id, id))) return byContext;
  return undefined;
}

// An id that canonicalId would change: a GUID without dashes, or one in upper case.
const UPPER = /[A-F]/;
const inOtherForm = (id: string): boolean => id.length === 32 || (id.length === 36 && UPPER.test(id));

/** The record with the operation of `op.key` replaced, or `op` added. */
export function withOperation(record: CallRecord, op: OperationRecord, now: number): CallRecord {
  const operations = record.operations.slice();
  const at = operations.findLastIndex((o) => o.key === op.key); // keys are unique; recent ones change most
  if (at === -1) operations.push(op);
  else operations[at] = op;
  return { ...record, operations, updatedAt: now };
}

/** Brings an operation to a final state: the record holding it, its operationFinished effect and what follows from it. */
export function finishStep(
  record: CallRecord,
  op: OperationRecord,
  status: OperationState,
  now: number,
  operation?: CommsOperation,
  resultInfo?: ResultInfo,
): { record: CallRecord; effects: Effect[] } {
  const done: OperationRecord = { ...op, status, finishedAt: now };
  delete done.deadline;
  if (operation) done.operation = operation;
  if (resultInfo) done.resultInfo = resultInfo;
  return { record: withOperation(record, done, now), effects: [{ type: 'operationFinished', callId: record.callId, operation: done }, ...inviteFollowUps(record.callId, done)] };
}

const asString = (value: unknown): string | null => nonEmptyString(value) ?? null;

/** The status a notification reports; a `deleted` operation without one has ended by its resultInfo. */
function reportedStatus(changeType: ChangeType, data: CommsOperation): OperationState | undefined {
  const status = normalizeStatus(data.status);
  if (status || changeType !== 'deleted') return status;
  const code = asResultInfo(data.resultInfo)?.code;
  return typeof code === 'number' && code >= 400 ? 'failed' : 'completed';
}

/** Applies an operation notification: notStarted → running → completed | failed; final states absorb. */
export function applyOperationNotification(
  record: CallRecord,
  routed: { operationId?: string; changeType: ChangeType; data: Record<string, unknown> },
  env: StepEnv,
): { record: CallRecord; effects: Effect[]; understood: boolean } {
  const data = routed.data as CommsOperation;
  // Notification paths print GUIDs in upper case without dashes; responses, as the bot saw them, do not.
  const named = asString(data.id) ?? routed.operationId;
  const id = named ? canonicalId(named) : null;
  const clientContext = asString(data.clientContext);
  const status = reportedStatus(routed.changeType, data);
  if (!status) return { record, effects: [], understood: false };

  const known = findOperation(record, id, clientContext);
  const current: OperationRecord = known ?? {
    key: freeKey(record, clientContext, id, env.now),
    id,
    clientContext,
    status: 'notStarted',
    kind: kindOfResource(data),
    sent: false,
    createdAt: env.now,
  };
  if (isFinal(current.status)) {
    // A repeat of the outcome: what follows from it on other calls is written again, in case the
    // first delivery's follow-up failed (and was therefore not acknowledged).
    const again = isFinal(status) ? inviteFollowUps(record.callId, current).filter((e) => e.type === 'markReplaced') : [];
    return { record, effects: again, understood: true };
  }
  if (known && RANK[status] <= RANK[current.status] && !(id && !known.id)) return { record, effects: [], understood: true };
  const identified: OperationRecord = { ...current, id: current.id ?? id };
  if (isFinal(status)) return { ...finishStep(record, identified, status, env.now, data, asResultInfo(data.resultInfo)), understood: true };
  const pending: OperationRecord = { ...identified, status: RANK[status] > RANK[current.status] ? status : current.status, operation: data };
  if (pending.deadline === undefined) pending.deadline = env.now + env.operationTimeoutMs;
  const effects: Effect[] = known ? [] : [{ type: 'operationPending', callId: record.callId, operation: pending }];
  return { record: withOperation(known ? record : boundUnsent(record), pending, env.now), effects, understood: true };
}

/** The record with room for one more pending operation the bot did not send. */
function boundUnsent(record: CallRecord): CallRecord {
  let count = 0;
  let oldest: OperationRecord | undefined;
  for (const op of record.operations) {
    if (op.sent || isFinal(op.status)) continue;
    count++;
    if (!oldest || op.createdAt < oldest.createdAt) oldest = op;
  }
  return count < MAX_UNSENT_PENDING ? record : { ...record, operations: record.operations.filter((o) => o !== oldest) };
}

/** A key for an operation seen first by callback, that does not overwrite another operation. */
function freeKey(record: CallRecord, clientContext: string | null, id: string | null, now: number): string {
  const preferred = operationKey(clientContext, id);
  if (preferred && !operationAt(record, preferred)) return preferred;
  if (id && !operationAt(record, idKey(id))) return idKey(id);
  return `i:anonymous-${now}-${record.operations.length}`;
}

/** Times out a pending operation whose deadline has passed. */
export function timeOutOperation(record: CallRecord, key: string, env: StepEnv): { record: CallRecord; effects: Effect[] } {
  const op = operationAt(record, key);
  if (!op || isFinal(op.status) || (op.deadline ?? Infinity) > env.now) return { record, effects: [] };
  return finishStep(record, op, 'timedOut', env.now);
}

/**
 * A call that ends takes its pending operations with it: Graph sends no outcome for them (a
 * recording cut short by a hang-up never reports back), so each fails now with the call's end.
 */
export function failPendingOperations(record: CallRecord, resultInfo: ResultInfo | undefined, now: number): { record: CallRecord; effects: Effect[] } {
  let next = record;
  const effects: Effect[] = [];
  for (const op of record.operations) {
    if (isFinal(op.status)) continue;
    const step = finishStep(next, op, 'failed', now, undefined, resultInfo);
    next = step.record;
    effects.push(...step.effects);
  }
  return { record: next, effects };
}
