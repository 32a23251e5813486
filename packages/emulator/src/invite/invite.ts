import { randomUUID } from 'node:crypto';
import type { CallRecord, OperationRecord } from '../calls/registry.js';
import type { EmulatorContext } from '../context.js';
import { GraphHttpError } from '../http/errors.js';
import type { HttpResult } from '../http/server.js';
import type { InviteHttpError } from '../faults.js';
import { operationResponse } from './operation.js';
import { settleInvite } from './outcome.js';
import { validateInvite } from './validate.js';

/**
 * `POST /{version}/communications/calls/{callId}/participants/invite`.
 *
 * Answers 200 with a `Location` header and the running operation, then (after
 * the invitees "answer") sends the roster update and the operation's outcome,
 * both as scripted by the next invite fault.
 */
export async function handleInvite(ctx: EmulatorContext, version: string, call: CallRecord, body: unknown): Promise<HttpResult> {
  const callId = call.id;
  const script = ctx.faults.takeInvite();
  if (script.httpError !== undefined) throw scriptedError(script.httpError);
  const invite = validateInvite(body, call, ctx.options.replacesCallIdPolicy);
  const op: OperationRecord = {
    id: randomUUID(),
    callId,
    clientContext: invite.clientContext,
    status: 'running',
    resultInfo: null,
    participants: invite.participants,
  };
  call.operations.set(op.id, op);
  const headers = { Location: new URL(`${version}/communications/calls/${callId}/operations/${op.id}`, ctx.baseUrl).toString() };
  const faults = ctx.faults.callbackFaults(script);
  const settle = () => {
    const { notices, followUp } = settleInvite(ctx, call, op, script, faults);
    const sent = ctx.notifier.send(notices, faults);
    followUp();
    return sent;
  };

  if (script.completeInResponse === true) {
    void settle();
    return { status: 200, headers, body: operationResponse(op, call.tenantId, op.status) };
  }
  // Graph answers `Running` (capitalised) while the operation goes on.
  const running = operationResponse(op, call.tenantId, 'Running');
  if (script.overtake === true) {
    // The callbacks reach the bot, and are answered, before the bot has the response.
    const done = ctx.scheduler.begin();
    try {
      await settle();
    } finally {
      done();
    }
    return { status: 200, headers, body: running };
  }
  ctx.scheduler.after(ctx.options.autoAnswerMs, async () => {
    await settle();
  });
  return { status: 200, headers, body: running };
}

const ERROR_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'InvalidAuthenticationToken',
  403: 'Forbidden',
  404: 'itemNotFound',
  409: 'Conflict',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

function scriptedError(error: InviteHttpError): GraphHttpError {
  const headers: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) };
  const code = error.code ?? ERROR_CODES[error.status] ?? 'UnknownError';
  return new GraphHttpError(error.status, code, error.message ?? `Scripted ${error.status} answer to the invite.`, headers);
}
