import type { CommsOperation, ResultInfo } from '../model/graph.js';
import { canonicalId, sameId } from '../model/ids.js';
import { asResultInfo, nonEmptyString } from '../model/json.js';
import { kindOfResource } from '../operations/resources.js';
import { normalizeStatus, type ChangeType } from '../text/case.js';
import { contextKey, idKey, isFinal, operationAt, operationKey, type CallRecord, type OperationRecord, type OperationState } from './call-record.js';
import type { Effect, StepEnv } from './effects.js';
import { inviteFollowUps } from './invite-follow-ups.js';
import { indexOfField, mayHoldOtherForms, replacedAt, unsentPendingCount } from './operation-summary.js';

/**
 * How many pending operations a call keeps that the bot did not send: beyond, the oldest is
 * forgotten (no event), so that a flood of unknown operations cannot make every step slower.
 */
export const MAX_UNSENT_PENDING = 256;

/** How far along each state is; an operation never moves back. */
export const RANK: Record<OperationState, number> = { notStarted: 0, running: 1, completed: 2, failed: 2, timedOut: 2 };

/** Where an operation is, and whether its clientContext's key is taken (by it or an older one). */
interface Found {
  op: OperationRecord | undefined;
  at: number;
  contextTaken: boolean;
}

/**
 * Finds an operation by id (in either of Graph's forms), then by clientContext. A clientContext
 * match is refused when both sides know their ids and they differ: that is an older operation
 * that reused the context.
 */
function findOperation(record: CallRecord, id: string | null, clientContext: string | null): Found {
  // Oldest first: two operations may carry one id (Graph's own examples do), and the older one
  // was sent first.
  const operations = record.operations;
  const wanted = id ? canonicalId(id) : null;
  const byId = wanted === null ? -1 : indexOfField(operations, 'id', wanted);
  if (byId !== -1) return { op: operations[byId]!, at: byId, contextTaken: true };
  const byContext = clientContext ? indexOfField(operations, 'key', contextKey(clientContext)) : -1;
  // Only a record from before ids were kept canonical needs a second look, in either form.
  if (id && mayHoldOtherForms(operations)) {
    const at = operations.findIndex((op) => op.id !== null && sameId(op.id, id));
    if (at !== -1) return { op: operations[at]!, at, contextTaken: true };
  }
  const context = byContext === -1 ? undefined : operations[byContext]!;
  if (context && (!id || !context.id || sameId(context.id, id))) return { op: context, at: byContext, contextTaken: true };
  return { op: undefined, at: -1, contextTaken: byContext !== -1 };
}

/**
 * The record with the operation of `op.key` replaced, or `op` added. `at`, when the caller knows
 * it, is where the operation of that key is (-1: there is none).
 */
export function withOperation(record: CallRecord, op: OperationRecord, now: number, at?: number): CallRecord {
  const index = at ?? record.operations.findLastIndex((o) => o.key === op.key); // keys are unique; recent ones change most
  return { ...record, operations: replacedAt(record.operations, index, op), updatedAt: now };
}

/** Brings an operation to a final state: the record holding it, its operationFinished effect and what follows from it. */
export function finishStep(
  record: CallRecord,
  op: OperationRecord,
  status: OperationState,
  now: number,
  operation?: CommsOperation,
  resultInfo?: ResultInfo,
  at?: number,
): { record: CallRecord; effects: Effect[] } {
  const done: OperationRecord = { ...op, status, finishedAt: now };
  delete done.deadline;
  if (operation) done.operation = operation;
  if (resultInfo) done.resultInfo = resultInfo;
  return { record: withOperation(record, done, now, at), effects: [{ type: 'operationFinished', callId: record.callId, operation: done }, ...inviteFollowUps(record.callId, done)] };
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

  const found = findOperation(record, id, clientContext);
  const known = found.op;
  const current: OperationRecord = known ?? {
    key: freeKey(record, clientContext, id, env.now, found.contextTaken),
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
  // Where it goes: its place, or the end when its clientContext's key was free (the walk that
  // found nothing looked for it); otherwise withOperation looks for its key.
  const base = known ? record : boundUnsent(record);
  const at = known ? found.at : clientContext && !found.contextTaken ? -1 : undefined;
  if (isFinal(status)) return { ...finishStep(base, identified, status, env.now, data, asResultInfo(data.resultInfo), at), understood: true };
  const pending: OperationRecord = { ...identified, status: RANK[status] > RANK[current.status] ? status : current.status, operation: data };
  if (pending.deadline === undefined) pending.deadline = env.now + env.operationTimeoutMs;
  const effects: Effect[] = known ? [] : [{ type: 'operationPending', callId: record.callId, operation: pending }];
  return { record: withOperation(base, pending, env.now, at), effects, understood: true };
}

/** The record with room for one more pending operation the bot did not send. */
function boundUnsent(record: CallRecord): CallRecord {
  if (unsentPendingCount(record.operations) < MAX_UNSENT_PENDING) return record;
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
function freeKey(record: CallRecord, clientContext: string | null, id: string | null, now: number, contextTaken: boolean): string {
  if (clientContext && !contextTaken) return contextKey(clientContext); // the walk that found nothing looked for it
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
