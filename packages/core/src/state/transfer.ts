import type { ResultInfo } from '../model/graph.js';
import type { CallRecord, TransferRecord } from './call-record.js';
import type { CallState } from './call-states.js';
import type { Effect, StepEnv } from './effects.js';

/** How a transfer ended. */
export interface TransferOutcome {
  status: 'completed' | 'failed' | 'timedOut';
  resultInfo?: ResultInfo;
}

/*
 * A transfer has no operation: Graph tells how it went through the call's states. It completes
 * when the call ends after `transferring`/`transferAccepted`, fails when the call falls back to
 * `established`, and times out otherwise.
 */

/** Notes a transfer the bot is about to request. */
export const startTransfer = (record: CallRecord, token: string, env: StepEnv): CallRecord => ({
  ...record,
  transfer: { token, startedAt: env.now, deadline: env.now + env.operationTimeoutMs },
  updatedAt: env.now,
});

/** Forgets a transfer Graph refused. */
export function discardTransfer(record: CallRecord, token: string, now: number): CallRecord {
  if (record.transfer?.token !== token) return record;
  const { transfer: _dropped, ...rest } = record;
  return { ...rest, updatedAt: now };
}

const finished = (record: CallRecord, transfer: TransferRecord, outcome: TransferOutcome): { transfer: undefined; effects: Effect[] } => ({
  transfer: undefined,
  effects: [{ type: 'transferFinished', callId: record.callId, token: transfer.token, outcome }],
});

/** What a call's new state means for its pending transfer: the transfer to keep (undefined: none) and effects. */
export function transferStep(record: CallRecord, state: CallState | undefined, ended: boolean, resultInfo: ResultInfo | undefined): { transfer: TransferRecord | undefined; effects: Effect[] } {
  const transfer = record.transfer;
  if (!transfer) return { transfer, effects: [] };
  if (state === 'transferring' || state === 'transferAccepted') return { transfer: { ...transfer, through: state }, effects: [] };
  const with_ = (status: TransferOutcome['status']): TransferOutcome => (resultInfo ? { status, resultInfo } : { status });
  if (ended) return finished(record, transfer, with_(transfer.through || resultInfo?.subcode === 7015 ? 'completed' : 'failed'));
  // Falling back carries a resultInfo (500/7000, 7700); an `established` without one is a late
  // notification from before the transfer.
  if (state === 'established' && resultInfo) return finished(record, transfer, with_('failed'));
  return { transfer, effects: [] };
}

/** Times out a pending transfer whose deadline has passed. */
export function timeOutTransfer(record: CallRecord, token: string, env: StepEnv): { record: CallRecord; effects: Effect[] } {
  const transfer = record.transfer;
  if (!transfer || transfer.token !== token || transfer.deadline > env.now) return { record, effects: [] };
  const { effects } = finished(record, transfer, { status: 'timedOut' });
  return { record: discardTransfer(record, token, env.now), effects };
}
