import type { Participant } from '../model/graph.js';
import type { CallRecord } from './call-record.js';
import type { Effect, StepEnv } from './effects.js';
import { applyRosterNotification } from './roster.js';

/**
 * Applies a beta delta roster: the participants that changed since the last update, those with
 * a `removedState` having left. One delta is one roster change, reported as one rosterUpdated.
 * Its number orders each participant's changes (where the participant carries no
 * rosterSequenceNumber of its own), so a late delta still applies to the participants that no
 * later delta changed, and changes nothing for the others.
 */
export function applyDeltaRoster(record: CallRecord, sequenceNumber: number, participants: Participant[], env: StepEnv): { record: CallRecord; effects: Effect[] } {
  const applied = applyRosterNotification(record, participants, hasLeft, env, sequenceNumber);
  if (record.rosterSequence !== undefined && sequenceNumber <= record.rosterSequence) return applied;
  return { record: { ...applied.record, rosterSequence: sequenceNumber, updatedAt: env.now }, effects: applied.effects };
}

const hasLeft = (p: Participant): boolean => Boolean(p.removedState);
