import type { Call } from '../model/graph.js';
import { lowerCamel, type ChangeType } from '../text/case.js';
import type { CallRecord } from './call-record.js';
import { emit, type Effect, type StepEnv } from './effects.js';
import { failPendingOperations } from './operations.js';
import { replacementEffect } from './replacement.js';
import { asResultInfo, jsonEqual, nonEmptyString } from '../model/json.js';


/**
 * Applies a call notification. `terminated` (or `deleted`) is final and absorbs anything that
 * arrives after it, such as a late `terminating`.
 */
export function applyCallNotification(record: CallRecord, changeType: ChangeType, data: Call, env: StepEnv): { record: CallRecord; effects: Effect[] } {
  if (record.endedAt !== undefined) return { record, effects: [] };
  const named = nonEmptyString(data.state);
  const reported = named ? lowerCamel(named) : undefined;
  const ended = changeType === 'deleted' || reported === 'terminated';
  const state = ended ? 'terminated' : (reported ?? record.state);
  const call: Call = { ...(record.call ?? {}), ...data };
  if (state !== undefined) call.state = state;

  const stateChanged = state !== record.state;
  if (!ended && !stateChanged && jsonEqual(call, record.call ?? {})) return { record, effects: [] };

  let next: CallRecord = { ...record, call, updatedAt: env.now };
  if (state !== undefined) next.state = state;
  const effects: Effect[] = [emit('callUpdated', { callId: record.callId, state, call })];
  if (ended) {
    next.endedAt = env.now;
    const resultInfo = asResultInfo(data.resultInfo);
    if (resultInfo) next.resultInfo = resultInfo;
    effects.push(emit('callTerminated', resultInfo ? { callId: record.callId, resultInfo } : { callId: record.callId }));
    const failed = failPendingOperations(next, resultInfo, env.now);
    next = failed.record;
    effects.push(...failed.effects);
    const replaced = replacementEffect(next);
    if (replaced) {
      next.p2pReplacedAt = env.now;
      effects.push(replaced);
    }
  }
  return { record: next, effects };
}
