import type { Participant } from '../model/graph.js';
import { identityKey, sameIdentity } from '../model/identity.js';
import { jsonEqual } from '../model/json.js';
import type { ChangeType } from '../text/case.js';
import type { CallRecord, RemovedEntry, RosterEntry } from './call-record.js';
import { matchInvitations } from './joined.js';
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
  let removedLog = record.removed; // copied only when a departure is noted or forgotten
  const writableRemovedLog = (): Record<string, RemovedEntry> => (removedLog === record.removed ? (removedLog = { ...record.removed }) : removedLog);
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
      writableRemovedLog()[key] = seq === undefined ? { at: env.now } : { seq, at: env.now };
      removed.push(existing.participant);
      continue;
    }
    if (existing && existingKey) {
      if (older(seq, existing.seq)) continue;
      // A newer sequence number is a change; otherwise compare what Graph sent.
      if (!(seq !== undefined && existing.seq !== undefined && seq > existing.seq) && jsonEqual(existing.participant, p)) continue;
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
    if (gone) delete writableRemovedLog()[key];
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

function entry(participant: Participant, seq: number | undefined): RosterEntry {
  return seq === undefined ? { participant } : { participant, seq };
}
