import type { CallRecord, OperationRecord } from '../state/call-record.js';
import { entry } from './records.js';

/**
 * A record with every field set, non-integer numbers, nulls, nesting, non-ASCII text and two
 * outbox entries: a store must give back exactly this.
 */
export function fullRecord(callId: string, now = Date.now()): CallRecord {
  const participant = {
    id: 'participant-1',
    info: { identity: { user: { id: 'user-1', displayName: 'Zoë Ångström 通話 😀' } }, languageId: 'en-US' },
    mediaStreams: [{ mediaType: 'audio', sourceId: '1', direction: 'sendReceive', serverMuted: false }],
    isMuted: false,
    isInLobby: false,
    metadata: 'line one\nline two "quoted" \\ back',
  };
  const operation: OperationRecord = {
    key: 'c:context-1',
    id: 'operation-1',
    clientContext: 'context-1',
    status: 'running',
    kind: 'invite',
    sent: true,
    participants: [{ identity: { user: { id: 'user-2' } }, replacesCallId: null }],
    operation: { '@odata.type': '#microsoft.graph.inviteParticipantsOperation', id: 'operation-1', status: 'running', clientContext: 'context-1' },
    resultInfo: { code: 0, subcode: 0, message: 'ok' },
    createdAt: now - 1000,
    deadline: now + 60_000.5,
    finishedAt: now,
  };
  const call = { id: callId, state: 'established', callbackUri: 'https://bot.example/api/calls', resultInfo: null, nested: { deep: [1, 2.25, [true, false, null]] } };
  return {
    callId,
    state: 'established',
    call,
    offeredAt: now - 5000,
    establishedAt: now - 4000,
    tones: [3, 4],
    transfer: { token: 'transfer-1', startedAt: now - 100, deadline: now + 30_000, through: 'transferAccepted' },
    endedAt: now,
    resultInfo: { code: 200, subcode: 5001, message: 'The conversation has ended.' },
    roster: [{ id: 'participant-1', participant, seq: 7 }, { identity: 'user:user-3', participant: { ...participant, id: 'participant-2' } }],
    rosterSequence: 12,
    removed: [{ id: 'participant-0', seq: 5, at: now - 2000 }, { identity: 'phone:+15555550100', at: now - 1500 }],
    operations: [operation, { ...operation, key: 'i:operation-2', id: 'operation-2', clientContext: null, status: 'completed', kind: 'playPrompt', sent: false }],
    replacement: { groupCallId: 'group-1', operationId: null, clientContext: 'context-1', participant: { identity: { user: { id: 'user-2' } } } },
    p2pReplacedAt: now - 10,
    recent: ['fingerprint-1', 'fingerprint-2'],
    updatedAt: now,
    outbox: [entry(callId, 'entry-1', now, now + 5000.25), { ...entry(callId, 'entry-2', now + 1, now + 6000), effects: [{ type: 'operationPending', callId, operation }] }],
  };
}
