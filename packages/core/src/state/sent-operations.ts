import type { CommsOperation, InvitationParticipantInfo } from '../model/graph.js';
import { asResultInfo } from '../model/json.js';
import { contextKey, isFinal, operationAt, type CallRecord, type OperationRecord, type OperationState } from './call-record.js';
import type { Effect, StepEnv } from './effects.js';
import { finishStep, RANK, withOperation } from './operations.js';

/*
 * The steps of bot.invite(): record the operation before sending, learn from Graph's answer,
 * forget it when Graph refused. Pure, like every state machine step.
 */

/** Records an invite the bot is about to send, under its clientContext. */
export function recordInvite(record: CallRecord, clientContext: string, invited: InvitationParticipantInfo[], env: StepEnv): CallRecord {
  const key = contextKey(clientContext);
  // A finished operation that used the same context stays findable by its id.
  const previous = operationAt(record, key);
  const renamed = previous?.id ? [{ ...previous, key: `i:${previous.id}` }] : [];
  const operations = previous ? [...record.operations.filter((o) => o !== previous && o.key !== renamed[0]?.key), ...renamed] : record.operations;
  const op: OperationRecord = {
    key,
    id: null,
    clientContext,
    status: 'notStarted',
    sentByBot: true,
    invited,
    createdAt: env.now,
    deadline: env.now + env.operationTimeoutMs,
  };
  return { ...record, operations: [...operations, op], updatedAt: env.now };
}

/** Applies Graph's answer to an invite: the operation id, and a status that may already be final. */
export function applyInviteResponse(
  record: CallRecord,
  clientContext: string,
  response: { id: string | null; status: OperationState | undefined; operation: CommsOperation },
  env: StepEnv,
): { record: CallRecord; effects: Effect[]; operation: OperationRecord | undefined } {
  const op = operationAt(record, contextKey(clientContext));
  if (!op) return { record, effects: [], operation: undefined };
  const identified: OperationRecord = { ...op, id: op.id ?? response.id };
  if (isFinal(op.status)) {
    // A callback overtook the response; keep its outcome, learn the id.
    const next = withOperation(record, identified, env.now);
    return { record: next, effects: [], operation: identified };
  }
  const status = response.status;
  if (status && isFinal(status)) {
    return finishStep(record, identified, status, env.now, response.operation, asResultInfo(response.operation.resultInfo));
  }
  const next: OperationRecord = { ...identified, status: status && RANK[status] > RANK[op.status] ? status : op.status };
  return { record: withOperation(record, next, env.now), effects: [], operation: next };
}

/** Forgets an invite that Graph refused, unless a callback already settled it. */
export function discardInvite(record: CallRecord, clientContext: string, now: number): CallRecord {
  const key = contextKey(clientContext);
  const op = operationAt(record, key);
  if (!op || isFinal(op.status)) return record;
  return { ...record, operations: record.operations.filter((o) => o !== op), updatedAt: now };
}
