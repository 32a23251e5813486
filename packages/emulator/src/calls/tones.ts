import type { EmulatorContext } from '../context.js';
import { callNotice, isEnding } from './lifecycle.js';
import type { CallRecord } from './registry.js';

/**
 * A participant presses a key: once the bot subscribed to tones on the call,
 * an `updated` call notification carrying `toneInfo { sequenceId, tone }`
 * (sequenceId 1, 2, 3... per call), as the subscribeToTone page shows. Returns
 * the sequenceId, or null when nothing was sent (not subscribed, or the call is ending).
 */
export function pressTone(ctx: EmulatorContext, call: CallRecord, tone: string): number | null {
  if (!call.toneSubscribed || isEnding(call)) return null;
  call.toneSequence += 1;
  const toneInfo = { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: call.toneSequence, tone };
  void ctx.notifier.send([callNotice(call, 'updated', { toneInfo })], ctx.faults.callbackFaults());
  return call.toneSequence;
}
