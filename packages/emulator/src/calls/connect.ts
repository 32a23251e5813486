import type { CallbackFaults } from '../fault-scripts.js';
import type { EmulatorContext } from '../context.js';
import { later } from '../operations/flow.js';
import type { IdentitySet, ResultInfo } from '../types.js';
import { armKeepAlive, callNotice, rosterNotice, terminateCall } from './lifecycle.js';
import type { CallRecord } from './registry.js';

/** The callbacks a connecting call sends: the first batch (what `overtake` waits for), and all of them. */
export interface Connecting {
  first: Promise<unknown>;
  all: Promise<unknown>;
}

/**
 * A call in `establishing` that is picked up: `updated` establishing now; after
 * `autoAnswerMs`, `updated` established and a roster `updated` with `joiners`
 * (the bot first, under `myParticipantId`). With `outOfOrder`, established goes
 * out before establishing. The keepAlive deadline starts once established.
 */
export function connectCall(ctx: EmulatorContext, call: CallRecord, joiners: IdentitySet[], faults: CallbackFaults, outOfOrder: boolean): Connecting {
  const first = outOfOrder ? null : ctx.notifier.send([callNotice(call, 'updated')], faults);
  const rest = later(ctx, ctx.options.autoAnswerMs, () => {
    if (call.state !== 'establishing') return null;
    call.state = 'established';
    const joined = ctx.registry.join(call, joiners, call.myParticipantId);
    armKeepAlive(ctx, call);
    const established = callNotice(call, 'updated');
    const states = outOfOrder ? [established, callNotice(call, 'updated', { state: 'establishing' })] : [established];
    return ctx.notifier.send([...states, rosterNotice(call, 'updated', joined)], faults);
  });
  return { first: first ?? rest, all: Promise.all([first, rest]) };
}

/**
 * A call whose callee never picks up: `updated` establishing now, then after
 * `ms` (unless the call moved on) `deleted` terminated with `resultInfo`.
 */
export function ringOut(ctx: EmulatorContext, call: CallRecord, ms: number, resultInfo: ResultInfo, faults: CallbackFaults): Connecting {
  const first = ctx.notifier.send([callNotice(call, 'updated')], faults);
  const rest = later(ctx, ms, () => (call.state === 'establishing' ? terminateCall(ctx, call, resultInfo, faults) : null));
  return { first, all: Promise.all([first, rest]) };
}
