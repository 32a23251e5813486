import { randomUUID } from 'node:crypto';
import type { CallRecord, OperationRecord } from '../calls/registry.js';
import type { EmulatorContext } from '../context.js';
import type { HttpResult } from '../http/server.js';
import { answerThenSettle, operationLocation, scriptedError } from '../operations/flow.js';
import { INVITE_OPERATION_TYPE, operationResponse } from './operation.js';
import { settleInvite } from './outcome.js';
import { validateInvite } from './validate.js';

/**
 * `POST /{version}/communications/calls/{callId}/participants/invite`.
 *
 * Answers 200 with a `Location` header and the running operation, then (after
 * the invitees "answer") sends the roster update and the operation's outcome,
 * both as scripted by the next invite fault (or nothing, with `neverComplete`).
 */
export async function handleInvite(ctx: EmulatorContext, version: string, call: CallRecord, body: unknown): Promise<HttpResult> {
  const callId = call.id;
  const script = ctx.faults.takeInvite();
  if (script.httpError !== undefined) throw scriptedError(script.httpError, 'invite');
  const invite = validateInvite(body, call, ctx.options.replacesCallIdPolicy);
  const op: OperationRecord = {
    id: randomUUID(),
    callId,
    action: 'invite',
    type: INVITE_OPERATION_TYPE,
    clientContext: invite.clientContext,
    status: 'running',
    resultInfo: null,
    participants: invite.participants,
    fields: {},
  };
  call.operations.set(op.id, op);
  const headers = { Location: operationLocation(ctx, version, callId, op.id) };
  const faults = ctx.faults.callbackFaults(script);
  const settle = () => {
    const { notices, followUp } = settleInvite(ctx, call, op, script, faults);
    const sent = ctx.notifier.send(notices, faults);
    followUp();
    return sent;
  };

  // Graph answers `Running` (capitalised) while the operation goes on.
  const running = operationResponse(op, call.tenantId, 'Running');
  if (script.neverComplete === true) return { status: 200, headers, body: running };
  if (script.completeInResponse === true) {
    void settle();
    return { status: 200, headers, body: operationResponse(op, call.tenantId, op.status) };
  }
  return answerThenSettle(ctx, script.overtake, ctx.options.autoAnswerMs, settle, { status: 200, headers, body: running });
}
