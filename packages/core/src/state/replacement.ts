import type { CallRecord, ReplacementRecord } from './call-record.js';
import { emit, type Effect, type StepEnv } from './effects.js';

/**
 * A peer-to-peer call counts as replaced once both halves are known: the invite with
 * `replacesCallId` completed, and the replaced call ended. They arrive in either order, on
 * two different calls, so the replaced call's record is where they meet.
 */
export function replacementEffect(record: CallRecord): Effect | undefined {
  const r = record.replacement;
  if (!r || record.endedAt === undefined || record.p2pReplacedAt !== undefined) return undefined;
  return emit('p2pReplaced', {
    groupCallId: r.groupCallId,
    replacedCallId: record.callId,
    operationId: r.operationId,
    clientContext: r.clientContext,
    participant: r.participant,
  });
}

/** Notes on the replaced call that an invite replacing it has completed. */
export function markReplaced(record: CallRecord, replacement: ReplacementRecord, env: StepEnv): { record: CallRecord; effects: Effect[] } {
  if (record.replacement) return { record, effects: [] };
  const next: CallRecord = { ...record, replacement, updatedAt: env.now };
  const effect = replacementEffect(next);
  if (!effect) return { record: next, effects: [] };
  return { record: { ...next, p2pReplacedAt: env.now }, effects: [effect] };
}
