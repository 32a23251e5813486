import type { CallRecord } from '../calls/registry.js';
import type { JsonObject } from '../types.js';
import type { Outgoing } from './descriptor.js';
import { OPERATION_CANCELLED, completionNotice } from './operation.js';

/**
 * The media operations cancelMediaProcessing cancels (subscribeToTone is not
 * one: it runs outside the media queue), with the fields their failure carries
 * (the cancelMediaProcessing page's recordOperation example).
 */
const CANCELLED_FIELDS: Readonly<Record<string, JsonObject>> = {
  playPrompt: {},
  recordResponse: { recordingLocation: '', recordingAccessToken: '', completionReason: 'operationCanceled' },
};

/**
 * Fails every running playPrompt/recordResponse of the call with 400/8508;
 * returns their `deleted` notifications, each with its own request's callback faults.
 */
export function cancelMediaOperations(call: CallRecord): Outgoing[] {
  const outgoing: Outgoing[] = [];
  for (const op of call.operations.values()) {
    const fields = CANCELLED_FIELDS[op.action];
    if (fields === undefined || op.status !== 'running') continue;
    op.status = 'failed';
    op.resultInfo = OPERATION_CANCELLED;
    op.fields = { ...op.fields, ...structuredClone(fields) };
    outgoing.push({ notice: completionNotice(call, op), faults: op.callbackFaults });
  }
  return outgoing;
}
