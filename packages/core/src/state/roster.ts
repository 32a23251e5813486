import type { Participant } from '../model/graph.js';
import { identityKey } from '../model/identity.js';
import { jsonEqual, nonEmptyString } from '../model/json.js';
import type { ChangeType } from '../text/case.js';
import type { CallRecord, RemovedEntry, RosterEntry, RosterKey } from './call-record.js';
import { RosterDraft } from './roster-draft.js';
import { matchInvitations } from './joined.js';
import type { Effect, StepEnv } from './effects.js';

const participantId = (p: Participant): string | undefined => nonEmptyString(p.id);

/** Who a participant is: its id, or its identity while Graph gives it no id. */
function keyOf(p: Participant): RosterKey | undefined {
  const id = participantId(p);
  if (id) return { id };
  const identity = identityKey(p.info?.identity);
  return identity ? { identity } : undefined;
}

const sameKey = (a: RosterKey, b: RosterKey): boolean => (b.id !== undefined ? a.id === b.id : a.id === undefined && a.identity === b.identity);

/**
 * The entry a participant updates: its own, or one recorded by identity before Graph gave an id.
 * Only a participant without id needs a scan (to find itself recorded under an id).
 */
function findEntry(roster: RosterDraft, p: Participant, key: RosterKey): number {
  if (key.id !== undefined) {
    const byId = roster.findId(key.id);
    if (byId !== -1) return byId;
    const byIdentity = identityKey(p.info?.identity);
    return byIdentity ? roster.findIdentity(byIdentity) : -1;
  }
  const byIdentity = roster.findIdentity(key.identity!);
  if (byIdentity !== -1) return byIdentity;
  return roster.findIdentified(p.info?.identity);
}

// Lists of changes start as this shared empty list, and become a one-element array on their
// first entry: most notifications change one participant, and a pushed-to [] reserves 16 slots.
const NONE = Object.freeze([]) as unknown as Participant[];
const withOne = (list: Participant[], p: Participant): Participant[] => (list === NONE ? [p] : (list.push(p), list));

const seqOf = (p: Participant, fallback: number | undefined): number | undefined => (typeof p.rosterSequenceNumber === 'number' ? p.rosterSequenceNumber : fallback);
const older = (incoming: number | undefined, known: number | undefined): boolean =>
  incoming !== undefined && known !== undefined && incoming < known;

/** Who of a notification's participants leaves: all of a `deleted` one, none of the others. */
export const leavingBy = (changeType: ChangeType): ((p: Participant) => boolean) => (changeType === 'deleted' ? always : never);
const always = (): boolean => true;
const never = (): boolean => false;

/**
 * Applies a roster notification: participants that `leaving` names are removed, the others added
 * or changed. A change older (by rosterSequenceNumber, else `sequence`: a delta roster's number)
 * than what is known is ignored. Without sequence numbers the latest delivery wins, and a
 * delivery that changes nothing is no change.
 */
export function applyRosterNotification(
  record: CallRecord,
  participants: Participant[],
  leaving: (p: Participant) => boolean,
  env: StepEnv,
  sequence?: number,
): { record: CallRecord; effects: Effect[] } {
  const roster = new RosterDraft(record.roster, participants.length);
  let removedLog = record.removed; // copied only when a departure is noted or forgotten
  let added = NONE;
  let updated = NONE;
  let removed = NONE;

  for (const p of participants) {
    const key = keyOf(p);
    if (!key) continue;
    const at = findEntry(roster, p, key);
    const existing = at === -1 ? undefined : roster.at(at);
    const seq = seqOf(p, sequence);
    if (leaving(p)) {
      // A removal that overtook the add of someone unknown is noted, so that the late add stays out.
      if (!existing && seq === undefined) continue;
      if (existing && older(seq, existing.seq)) continue;
      if (existing) roster.remove(at);
      const note: RemovedEntry = seq === undefined ? { ...key, at: env.now } : { ...key, seq, at: env.now };
      if (removedLog === record.removed) removedLog = record.removed.slice();
      const noted = removedLog.findIndex((r) => sameKey(r, key));
      if (noted === -1) removedLog.push(note);
      else if (existing || older(removedLog[noted]!.seq, seq)) removedLog[noted] = note;
      if (existing) removed = withOne(removed, existing.participant);
      continue;
    }
    if (existing) {
      if (older(seq, existing.seq)) continue;
      // A newer sequence number is a change; otherwise compare what Graph sent.
      if (!(seq !== undefined && existing.seq !== undefined && seq > existing.seq) && jsonEqual(existing.participant, p)) continue;
      // An entry takes its id once Graph names it, and never goes back to an identity key.
      roster.replace(at, entry(key.id !== undefined ? key : existing, p, seq ?? existing.seq));
      updated = withOne(updated, p);
      continue;
    }
    const goneAt = removedLog.length === 0 ? -1 : findDeparture(removedLog, p, key);
    const gone = goneAt === -1 ? undefined : removedLog[goneAt]!;
    // A late update of someone who already left, by sequence number.
    if (gone && seq !== undefined && gone.seq !== undefined && seq <= gone.seq) continue;
    if (gone) removedLog = removedLog.filter((_, i) => i !== goneAt);
    roster.add(entry(key, p, seq));
    added = withOne(added, p);
  }

  if (added === NONE && updated === NONE && removed === NONE) {
    return removedLog === record.removed ? { record, effects: [] } : { record: { ...record, removed: removedLog, updatedAt: env.now }, effects: [] };
  }
  const entries = roster.result();
  const next: CallRecord = { ...record, roster: entries, removed: removedLog, updatedAt: env.now };
  return {
    record: next,
    effects: [
      {
        type: 'rosterUpdated',
        change: {
          callId: record.callId,
          participants: entries.map((e) => e.participant),
          added: added === NONE ? [] : added,
          updated: updated === NONE ? [] : updated,
          removed: removed === NONE ? [] : removed,
        },
        joined: added === NONE ? [] : matchInvitations(record, added),
      },
    ],
  };
}

/** A departure note of this participant: by its key, or by identity if it left before Graph named its id. */
function findDeparture(log: RemovedEntry[], p: Participant, key: RosterKey): number {
  const byKey = log.findIndex((r) => sameKey(r, key));
  if (byKey !== -1 || key.id === undefined) return byKey;
  const identity = identityKey(p.info?.identity);
  return identity ? log.findIndex((r) => r.id === undefined && r.identity === identity) : -1;
}

function entry(key: RosterKey, participant: Participant, seq: number | undefined): RosterEntry {
  const base: RosterEntry = key.id !== undefined ? { id: key.id, participant } : { identity: key.identity!, participant };
  if (seq !== undefined) base.seq = seq;
  return base;
}
