import type { Participant } from '../model/graph.js';
import { sameIdentity } from '../model/identity.js';
import type { CallRecord, OperationRecord } from './call-record.js';
import { hasSentInvite } from './operation-summary.js';

/** Pairs each added participant with the latest invitation of this call that named it. */
export function matchInvitations(record: CallRecord, added: Participant[]): Array<{ participant: Participant; operation: OperationRecord }> {
  if (!hasSentInvite(record.operations)) return [];
  const invites = record.operations
    .filter((op) => op.sent && op.kind === 'invite' && op.participants && op.status !== 'failed' && op.status !== 'timedOut')
    .sort((a, b) => b.createdAt - a.createdAt);
  const joined: Array<{ participant: Participant; operation: OperationRecord }> = [];
  for (const participant of added) {
    const op = invites.find((o) => o.participants?.some((i) => sameIdentity(i.identity, participant.info?.identity)));
    if (op) joined.push({ participant, operation: op });
  }
  return joined;
}
