import type { Notice } from '../callbacks/notifier.js';
import { notificationIdentitySet } from '../calls/identity.js';
import { endCall, leaveCall, rosterNotice } from '../calls/lifecycle.js';
import type { CallRecord, OperationRecord } from '../calls/registry.js';
import type { EmulatorContext } from '../context.js';
import type { CallbackFaults, InviteScript } from '../faults.js';
import type { ResultInfo } from '../types.js';
import { operationNotificationData } from './operation.js';
import { identityOf } from './validate.js';

/** Why an invite fails when its call ended before the invitee answered (an emulator choice). */
export const CALL_ENDED_BEFORE_ANSWER: ResultInfo = { code: 410, subcode: 0, message: 'The call ended before the participant joined.' };

/**
 * Settles an invite: the invitees join the roster and the operation completes,
 * or (scripted `fail`, or the call ended) the operation fails and nobody joins.
 * Returns the notices for the call in the scripted order, and what follows a
 * completion on other calls (the replaced call ending, the moved participant leaving).
 */
export function settleInvite(ctx: EmulatorContext, call: CallRecord, op: OperationRecord, script: InviteScript, faults: CallbackFaults): { notices: Notice[]; followUp: () => void } {
  const failure = call.state === 'terminating' || call.state === 'terminated' ? CALL_ENDED_BEFORE_ANSWER : script.fail;
  const notices: Notice[] = [];
  if (failure !== undefined) {
    op.status = 'failed';
    op.resultInfo = failure;
  } else {
    const joined = ctx.registry.join(call, op.participants.map((p) => notificationIdentitySet(identityOf(p), call.tenantId)));
    op.status = 'completed';
    notices.push(rosterNotice(call, 'updated', joined, { nullIds: script.nullParticipantIds, operationsPath: script.rosterOnOperationsPath }));
  }
  // With the outcome already in the response, Graph sends no operation callback.
  if (script.completeInResponse !== true) notices.push(operationNotice(ctx, call, op, script));
  return { notices: ordered(notices, script.order), followUp: () => (failure === undefined ? afterCompletion(ctx, call, op, faults) : undefined) };
}

function operationNotice(ctx: EmulatorContext, call: CallRecord, op: OperationRecord, script: InviteScript): Notice {
  const nullId = script.nullOperationId === true;
  return {
    kind: 'operation',
    call,
    changeType: 'deleted',
    subPath: nullId ? '/operations/participants' : `/operations/${op.id}`,
    communicationsResource: nullId,
    resourceData: operationNotificationData(op, call.tenantId, nullId),
  };
}

/**
 * Replacing a peer-to-peer call ends it; moving a participant takes it off the source meeting's
 * roster. Its callbacks carry the faults the invite's own callbacks had.
 */
function afterCompletion(ctx: EmulatorContext, call: CallRecord, op: OperationRecord, faults: CallbackFaults): void {
  for (const p of op.participants) {
    if (typeof p.replacesCallId !== 'string' || p.replacesCallId === call.id) continue;
    const other = ctx.registry.live(p.replacesCallId);
    if (other === undefined) continue;
    if (typeof p.participantId === 'string' && p.participantId !== '') leaveCall(ctx, other, p.participantId, faults);
    else endCall(ctx, other, undefined, faults);
  }
}

function ordered(notices: Notice[], order: InviteScript['order']): Notice[] {
  if (order === 'operationFirst') return [...notices].reverse();
  if (order !== 'shuffled') return notices;
  const shuffled = [...notices];
  for (let i = shuffled.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as Notice, shuffled[i] as Notice];
  }
  return shuffled;
}
