import type { CallRecord } from '@graph-comms/core';

/** A minimal record, as the state machine would start one. */
export function record(callId: string, extra: Partial<CallRecord> = {}): CallRecord {
  return { callId, roster: [], removed: [], operations: [], recent: [], updatedAt: Date.now(), ...extra };
}
