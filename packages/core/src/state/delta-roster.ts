import type { Participant } from '../model/graph.js';
import type { CallRecord } from './call-record.js';
import type { Effect, StepEnv } from './effects.js';
import { applyRosterNotification } from './roster.js';

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
