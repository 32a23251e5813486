import type { Participant } from '../model/graph.js';
import { identityKey, sameIdentity } from '../model/identity.js';
import type { ChangeType } from '../text/case.js';
import type { CallRecord, OperationRecord, RosterEntry } from './call-record.js';
import type { Effect, StepEnv } from './effects.js';

const participantId = (p: Participant): string | undefined => (typeof p.id === 'string' && p.id.length > 0 ? p.id : undefined);

/** `p:<id>`, or `i:<identity>` while Graph gives the participant no id. */
export function rosterKey(p: Participant): string | undefined {
  const id = participantId(p);
  if (id) return `p:${id}`;
  const identity = identityKey(p.info?.identity);
  return identity ? `i:${identity}` : undefined;
}

/**
 * The key of the entry a participant updates: its own, or one recorded by identity before Graph
 * gave an id. Only a participant without id needs a scan (to find itself recorded under an id).
 */
function findKey(roster: Record<string, RosterEntry>, p: Participant, key: string): string | undefined {
  if (roster[key]) return key;
  const id = participantId(p);
  if (id) {
    const byIdentity = identityKey(p.info?.identity);
    return byIdentity && roster[`i:${byIdentity}`] ? `i:${byIdentity}` : undefined;
  }
  for (const [k, entry] of Object.entries(roster)) {
    if (participantId(entry.participant) && sameIdentity(entry.participant.info?.identity, p.info?.identity)) return k;
  }
  return undefined;
}

const seqOf = (p: Participant): number | undefined => (typeof p.rosterSequenceNumber === 'number' ? p.rosterSequenceNumber : undefined);
const older = (incoming: number | undefined, known: number | undefined): boolean =>
  incoming !== undefined && known !== undefined && incoming < known;

/**
 * Applies a roster notification: created/updated add or change participants, deleted removes
 * them. A change older (by rosterSequenceNumber) than what is known is ignored.
 */
export function applyRosterNotification(
  record: CallRecord,
  changeType: ChangeType,
  participants: Participant[],
  env: StepEnv,
): { record: CallRecord; effects: Effect[] } {
  const roster = { ...record.roster };
  const removedLog = { ...record.removed };
  const added: Participant[] = [];
  const updated: Participant[] = [];
  const removed: Participant[] = [];

  for (const p of participants) {
    const key = rosterKey(p);
    if (!key) continue;
    const existingKey = findKey(roster, p, key);
    const existing = existingKey ? roster[existingKey] : undefined;
    const seq = seqOf(p);
    if (changeType === 'deleted') {
      if (!existing || !existingKey || older(seq, existing.seq)) continue;
      delete roster[existingKey];
      removedLog[key] = seq === undefined ? { at: env.now } : { seq, at: env.now };
      removed.push(existing.participant);
      continue;
    }
    if (existing && existingKey) {
      if (older(seq, existing.seq) || JSON.stringify(existing.participant) === JSON.stringify(p)) continue;
      // An entry moves to its id key once Graph names the id, never back to an identity key.
      const target = participantId(p) ? key : existingKey;
      if (existingKey !== target) delete roster[existingKey];
      roster[target] = entry(p, seq ?? existing.seq);
      updated.push(p);
      continue;
    }
    const gone = removedLog[key];
    // A late update of someone who already left, by sequence number.
    if (gone && seq !== undefined && gone.seq !== undefined && seq <= gone.seq) continue;
    delete removedLog[key];
    roster[key] = entry(p, seq);
    added.push(p);
  }

  if (added.length + updated.length + removed.length === 0) return { record, effects: [] };
  const next: CallRecord = { ...record, roster, removed: removedLog, updatedAt: env.now };
  return {
    record: next,
    effects: [
      {
        type: 'rosterUpdated',
        callId: record.callId,
        participants: Object.values(roster).map((e) => e.participant),
        added,
        updated,
        removed,
        joined: matchInvitations(record, added),
      },
    ],
  };
}

/**
 * Applies a beta delta roster: the participants that changed since the last update, those with
 * a `removedState` having left. A delta numbered at or below the last one applied is late and
 * changes nothing.
 */
export function applyDeltaRoster(record: CallRecord, sequenceNumber: number, participants: Participant[], env: StepEnv): { record: CallRecord; effects: Effect[] } {
  if (record.rosterSequence !== undefined && sequenceNumber <= record.rosterSequence) return { record, effects: [] };
  const left = participants.filter((p) => p.removedState);
  const stayed = participants.filter((p) => !p.removedState);
  const first = applyRosterNotification(record, 'updated', stayed, env);
  const second = applyRosterNotification(first.record, 'deleted', left, env);
  const effects = mergeRosterEffects([...first.effects, ...second.effects]);
  return { record: { ...second.record, rosterSequence: sequenceNumber, updatedAt: env.now }, effects };
}

// One delta is one roster change: report it as one rosterUpdated.
function mergeRosterEffects(effects: Effect[]): Effect[] {
  const rosters = effects.filter((e): e is Extract<Effect, { type: 'rosterUpdated' }> => e.type === 'rosterUpdated');
  if (rosters.length < 2) return effects;
  const last = rosters[rosters.length - 1]!;
  return [{ ...last, added: rosters.flatMap((e) => e.added), updated: rosters.flatMap((e) => e.updated), removed: rosters.flatMap((e) => e.removed), joined: rosters.flatMap((e) => e.joined) }];
}

function entry(participant: Participant, seq: number | undefined): RosterEntry {
  return seq === undefined ? { participant } : { participant, seq };
}

/** Pairs each added participant with the latest invitation of this call that named it. */
function matchInvitations(record: CallRecord, added: Participant[]): Array<{ participant: Participant; operation: OperationRecord }> {
  const invites = Object.values(record.operations)
    .filter((op) => op.sentByBot && op.invited && op.status !== 'failed' && op.status !== 'timedOut')
    .sort((a, b) => b.createdAt - a.createdAt);
  const joined: Array<{ participant: Participant; operation: OperationRecord }> = [];
  for (const participant of added) {
    const op = invites.find((o) => o.invited?.some((i) => sameIdentity(i.identity, participant.info?.identity)));
    if (op) joined.push({ participant, operation: op });
  }
  return joined;
}
