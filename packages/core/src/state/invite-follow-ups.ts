import type { OperationRecord } from './call-record.js';
import type { Effect } from './effects.js';

/**
 * What a completed invite means beyond its own call: one with `replacesCallId` replaced a
 * peer-to-peer call (which learns it through a step of its own), one with `participantId` too
 * moved a participant between meetings.
 */
export function inviteFollowUps(callId: string, op: OperationRecord): Effect[] {
  // An operation without @odata.type that lists participants is an invite too.
  const invite = op.kind === 'invite' || (op.kind === 'unknown' && Array.isArray(op.operation?.participants));
  if (!invite || op.status !== 'completed') return [];
  const invitee = (op.participants ?? op.operation?.participants ?? [])[0];
  const source = invitee?.replacesCallId;
  if (!invitee || !source) return [];
  if (invitee.participantId) {
    const move = { callId, sourceCallId: source, participantId: invitee.participantId, operationId: op.id, clientContext: op.clientContext, participant: invitee };
    return [{ type: 'participantMoved', move, operation: op }];
  }
  return [{ type: 'markReplaced', callId: source, replacement: { groupCallId: callId, operationId: op.id, clientContext: op.clientContext, participant: invitee } }];
}
