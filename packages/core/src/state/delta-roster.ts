import type { Participant } from '../model/graph.js';
import type { CallRecord } from './call-record.js';
import type { Effect, StepEnv } from './effects.js';
import { applyRosterNotification } from './roster.js';

/**
 * Applies a beta delta roster: the participants that changed since the last update, those with
 * a `removedState` having left. One delta is one roster change, reported as one rosterUpdated. A
 * delta numbered at or below the last one applied is late and changes nothing.
 */
export function applyDeltaRoster(record: CallRecord, sequenceNumber: number, participants: Participant[], env: StepEnv): { record: CallRecord; effects: Effect[] } {
  if (record.rosterSequence !== undefined && sequenceNumber <= record.rosterSequence) return { record, effects: [] };
  const applied = applyRosterNotification(record, participants, hasLeft, env);
  return { record: { ...applied.record, rosterSequence: sequenceNumber, updatedAt: env.now }, effects: applied.effects };
}

const hasLeft = (p: Participant): boolean => Boolean(p.removedState);
