import type { EmulatorContext } from '../context.js';
import type { CallbackFaults } from '../fault-scripts.js';
import type { DeliveryRecord } from '../callbacks/delivery.js';
import type { ResultInfo } from '../types.js';
import type { ActionDescriptor, ActionScope, Outgoing } from './descriptor.js';
import { ACTION_COMPLETED, completionNotice } from './operation.js';

/**
 * Completes an operation: `failed` with the scripted resultInfo (and no effect),
 * or `completed` with the action's effect. Returns the callbacks to send: the
 * `deleted` outcome first when `byCallback`, then what the effect brought.
 */
export function finishOperation(scope: ActionScope, action: ActionDescriptor, fail: ResultInfo | undefined, byCallback: boolean): Outgoing[] {
  const { call, op } = scope;
  const outgoing: Outgoing[] = [];
  if (fail !== undefined) {
    op.status = 'failed';
    op.resultInfo = { ...fail };
    op.fields = { ...op.fields, ...structuredClone(action.failedFields ?? {}) };
  } else {
    const completion = action.complete?.(scope) ?? {};
    op.status = 'completed';
    op.resultInfo = completion.resultInfo ?? (byCallback ? ACTION_COMPLETED : null);
    op.fields = { ...op.fields, ...completion.fields };
    outgoing.push(...(completion.notices ?? []));
  }
  if (byCallback) outgoing.unshift({ notice: completionNotice(call, op) });
  return outgoing;
}

/** Queues the callbacks in order, each with its own faults or the action's; resolves when all are settled. */
export function sendOutgoing(ctx: EmulatorContext, outgoing: readonly Outgoing[], faults: CallbackFaults): Promise<DeliveryRecord[][]> {
  return Promise.all(outgoing.map((o) => ctx.notifier.send([o.notice], o.faults ?? faults)));
}
