import type { Call } from '../model/graph.js';
import { asResultInfo, jsonEqual } from '../model/json.js';
import type { ChangeType } from '../text/case.js';
import type { CallRecord } from './call-record.js';
import { callState, canMove, type CallState } from './call-states.js';
import { emit, type Effect, type StepEnv } from './effects.js';
import { endReason } from './end-reasons.js';
import { failPendingOperations } from './operations.js';
import { replacementEffect } from './replacement.js';
import { toneStep } from './tones.js';
import { transferStep } from './transfer.js';

/**
 * Applies a call notification. States never go back (a late `establishing` after `established`
 * changes nothing); `terminated` (or `deleted`) is final and absorbs what comes after it. Tones
 * ride on call updates and are told once per sequenceId.
 */
export function applyCallNotification(record: CallRecord, changeType: ChangeType, data: Call, env: StepEnv): { record: CallRecord; effects: Effect[] } {
  if (record.endedAt !== undefined) return { record, effects: [] };
  const tone = toneStep(record, data);
  const reported = callState(data.state);
  const ended = changeType === 'deleted' || reported === 'terminated';
  const late = !ended && reported !== undefined && !canMove(record.state, reported);
  const state: CallState | undefined = ended ? 'terminated' : late ? record.state : (reported ?? record.state);
  // The tone is an event, not part of the call: kept out, so that a tone alone is no call change.
  const { toneInfo: _tone, ...fields } = data;
  const call: Call = late ? (record.call ?? {}) : { ...(record.call ?? {}), ...fields };
  if (state !== undefined) call.state = state;

  const changed = ended || state !== record.state || !jsonEqual(call, record.call ?? {});
  if (!changed) {
    // A repeat of `established` may be the redelivery of one whose keepAlive was not scheduled
    // (the store failed after the record was written): scheduling is idempotent, so again.
    const again: Effect[] = reported === 'established' && record.state === 'established' && !tone.tones ? [{ type: 'keepAlive', callId: record.callId, running: true }] : [];
    return tone.tones ? { record: { ...record, tones: tone.tones, updatedAt: env.now }, effects: [...tone.effects, ...again] } : { record, effects: again };
  }

  let next: CallRecord = { ...record, call, updatedAt: env.now };
  if (state !== undefined) next.state = state;
  if (tone.tones) next.tones = tone.tones;
  const effects: Effect[] = [...tone.effects, emit('callUpdated', { callId: record.callId, state, call })];
  if (state === 'incoming' && record.offeredAt === undefined) {
    next.offeredAt = env.now;
    effects.push({ type: 'incomingCall', callId: record.callId, call, receivedAt: env.now });
  }
  if (state === 'established' && record.establishedAt === undefined) {
    next.establishedAt = env.now;
    effects.push(emit('callEstablished', { callId: record.callId, call }), { type: 'keepAlive', callId: record.callId, running: true });
  }
  const resultInfo = asResultInfo(data.resultInfo);
  const transfer = transferStep(next, state, ended, resultInfo);
  if (transfer.transfer !== next.transfer) {
    if (transfer.transfer) next.transfer = transfer.transfer;
    else delete next.transfer;
  }
  effects.push(...transfer.effects);
  if (ended) {
    next.endedAt = env.now;
    if (resultInfo) next.resultInfo = resultInfo;
    const reason = endReason(resultInfo);
    effects.push(emit('callTerminated', { callId: record.callId, ...(resultInfo ? { resultInfo } : {}), ...(reason ? { reason } : {}) }));
    const failed = failPendingOperations(next, resultInfo, env.now);
    next = failed.record;
    effects.push(...failed.effects);
    const replaced = replacementEffect(next);
    if (replaced) {
      next.p2pReplacedAt = env.now;
      effects.push(replaced);
    }
    // Always, not only when this record saw it established (the schedule may hold the call from a
    // record that was evicted, or from another bot sharing the store); last, and never failing
    // the acknowledgement, so that nothing above is lost to it: a keepAlive left behind meets 404.
    effects.push({ type: 'keepAlive', callId: record.callId, running: false });
  }
  return { record: next, effects };
}
