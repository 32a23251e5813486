import type { CommsOperation, InvitationParticipantInfo } from '../model/graph.js';
import { asResultInfo } from '../model/json.js';
import type { OperationKind } from '../operations/resources.js';
import { contextKey, idKey, isFinal, operationAt, type CallRecord, type OperationRecord, type OperationState } from './call-record.js';
import type { Effect, StepEnv } from './effects.js';
import { finishStep, RANK, withOperation } from './operations.js';
import { replacedAt } from './operation-summary.js';

/*
 * The steps of an operation the bot sends, whatever its kind: record it before sending, learn
 * from Graph's answer, forget it when Graph refused. Pure, like every state machine step.
 */

/** What the bot is about to send. */
export interface OutgoingOperation {
  kind: OperationKind;
  clientContext: string;
  participants?: InvitationParticipantInfo[];
}

/** Records an operation the bot is about to send, under its clientContext. */
export function recordOperation(record: CallRecord, outgoing: OutgoingOperation, env: StepEnv): CallRecord {
  const key = contextKey(outgoing.clientContext);
  // A finished operation that used the same context stays findable by its id.
  const previous = operationAt(record, key);
  const renamed = previous?.id ? [{ ...previous, key: idKey(previous.id) }] : [];
  const operations = previous ? [...record.operations.filter((o) => o !== previous && o.key !== renamed[0]?.key), ...renamed] : record.operations;
  const op: OperationRecord = {
    key,
    id: null,
    clientContext: outgoing.clientContext,
    status: 'notStarted',
    kind: outgoing.kind,
    sent: true,
    createdAt: env.now,
    deadline: env.now + env.operationTimeoutMs,
  };
  if (outgoing.participants) op.participants = outgoing.participants;
  return { ...record, operations: replacedAt(operations, -1, op), updatedAt: env.now };
}

/** Applies Graph's answer: the operation id, and a status that may already be final. */
export function applyOperationResponse(
  record: CallRecord,
  clientContext: string,
  response: { id: string | null; status: OperationState | undefined; operation: CommsOperation },
  env: StepEnv,
): { record: CallRecord; effects: Effect[] } {
  const op = operationAt(record, contextKey(clientContext));
  if (!op) return { record, effects: [] };
  // The id as Graph's answer printed it, rather than as a notification that overtook it did.
  const identified: OperationRecord = { ...op, id: response.id ?? op.id };
  // A callback overtook the answer: keep its outcome, learn the id.
  if (isFinal(op.status)) return { record: withOperation(record, identified, env.now), effects: [] };
  const status = response.status;
  if (status && isFinal(status)) return finishStep(record, identified, status, env.now, response.operation, asResultInfo(response.operation.resultInfo));
  const next: OperationRecord = { ...identified, status: status && RANK[status] > RANK[op.status] ? status : op.status };
  return { record: withOperation(record, next, env.now), effects: [] };
}

/** Forgets an operation that Graph refused, unless a callback already settled it. */
export function discardOperation(record: CallRecord, clientContext: string, now: number): CallRecord {
  const op = operationAt(record, contextKey(clientContext));
  if (!op || isFinal(op.status)) return record;
  return { ...record, operations: record.operations.filter((o) => o !== op), updatedAt: now };
}
