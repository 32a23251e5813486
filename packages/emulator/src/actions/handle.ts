import { randomUUID } from 'node:crypto';
import type { CallRecord, OperationRecord, ParticipantRecord } from '../calls/registry.js';
import type { EmulatorContext } from '../context.js';
import type { HttpResult } from '../http/server.js';
import { answerThenSettle, operationLocation, scriptedError, settled } from '../operations/flow.js';
import type { ActionDescriptor, ActionScope } from './descriptor.js';
import { actionOperationResponse } from './operation.js';
import { finishOperation, sendOutgoing } from './finish.js';

/**
 * Any call or participant action of the catalog: takes the action's next fault
 * script, checks the body, starts the operation and answers with it (and its
 * `Location`); then completes it as the descriptor says, by callback after
 * `operationDelayMs` or already in the response.
 */
export async function handleAction(
  ctx: EmulatorContext,
  action: ActionDescriptor,
  version: string,
  call: CallRecord,
  participant: ParticipantRecord | undefined,
  body: unknown,
): Promise<HttpResult> {
  const script = ctx.faults.takeOperation(action.name);
  if (script.httpError !== undefined) throw scriptedError(script.httpError, action.name);
  const parsed = action.parse(body, call);
  const faults = ctx.faults.callbackFaults(script);
  if (action.completes === 'none') {
    await settled(ctx, script.overtake, action.accept?.({ ctx, call, params: parsed.params, script, faults }) ?? null);
    return { status: action.status };
  }
  const op: OperationRecord = {
    id: randomUUID(),
    callId: call.id,
    action: action.name,
    type: action.type,
    clientContext: parsed.clientContext,
    status: 'running',
    resultInfo: null,
    participants: [],
    fields: structuredClone(action.runningFields ?? {}),
    callbackFaults: faults,
  };
  call.operations.set(op.id, op);
  const scope: ActionScope = { ctx, call, op, participant, params: parsed.params };
  const headers = { Location: operationLocation(ctx, version, call.id, op.id) };
  const extra = action.odataContext === true ? { '@odata.context': new URL(`${version}/$metadata#${action.type.replace('#microsoft.graph.', '')}`, ctx.baseUrl).toString() } : {};
  const respond = (): HttpResult => ({ status: action.status, headers, body: actionOperationResponse(op, extra) });

  if (script.neverComplete === true) return respond();
  if (action.completes === 'response') {
    const outgoing = finishOperation(scope, action, script.fail, false);
    return answerThenSettle(ctx, script.overtake, 0, () => sendOutgoing(ctx, outgoing, faults), respond());
  }
  const settle = async () => {
    // Cancelled meanwhile, or taken down with its call: no completion of its own.
    if (op.status !== 'running' || call.state === 'terminating' || call.state === 'terminated') return;
    await sendOutgoing(ctx, finishOperation(scope, action, script.fail, true), faults);
  };
  return answerThenSettle(ctx, script.overtake, ctx.options.operationDelayMs, settle, respond());
}
