import type { CommsNotification, Participant, Call } from '../model/graph.js';
import type { RoutedNotification } from '../notifications/classify.js';
import { emptyCallRecord, type CallRecord } from './call-record.js';
import { applyCallNotification } from './call-state.js';
import { emit, type Effect, type Step, type StepEnv } from './effects.js';
import { applyOperationNotification } from './operations.js';
import { fingerprint, needsFingerprint } from './fingerprint.js';
import { pruneCallRecord } from './prune.js';
import { applyDeltaRoster } from './delta-roster.js';
import { applyRosterNotification, leavingBy } from './roster.js';

/** How many notification fingerprints a call remembers to recognise repeated deliveries. */
const RECENT_FINGERPRINTS = 32;

type Routed = Exclude<RoutedNotification, { kind: 'unknown' }>;

/**
 * One state machine step for one notification of one call. Pure: the same inputs give the same
 * record and effects, so an optimistic store may run it again.
 */
export function applyNotification(
  current: CallRecord | undefined,
  routed: Routed,
  notification: CommsNotification,
  env: StepEnv,
): Step {
  const record = current ?? emptyCallRecord(routed.callId, env.now);
  const print = needsFingerprint(routed) ? fingerprint(notification) : undefined;
  if (print !== undefined && record.recent.includes(print)) return { record: current, effects: [], value: undefined };

  let result: { record: CallRecord; effects: Effect[]; understood?: boolean };
  switch (routed.kind) {
    case 'operation':
      result = applyOperationNotification(record, routed, env);
      break;
    case 'roster':
      result = routed.sequenceNumber === undefined
        ? applyRosterNotification(record, routed.data as Participant[], leavingBy(routed.changeType), env)
        : applyDeltaRoster(record, routed.sequenceNumber, routed.data as Participant[], env);
      break;
    case 'call':
      result = applyCallNotification(record, routed.changeType, routed.data as Call, env);
      break;
  }
  const effects = result.understood === false ? [emit('notificationUnhandled', { notification, callId: routed.callId })] : result.effects;
  // Nothing changed and nothing to remember: nothing to write.
  if (result.record === record && print === undefined) return { record: current, effects, value: undefined };
  // Steps that changed the record have set its updatedAt already.
  const next: CallRecord =
    print === undefined ? result.record : { ...result.record, recent: [...result.record.recent.slice(-(RECENT_FINGERPRINTS - 1)), print], updatedAt: env.now };
  return { record: pruneCallRecord(next, env.now, env.retentionMs), effects, value: undefined };
}

