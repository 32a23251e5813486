import type { EmulatorContext } from '../context.js';
import type { CallScript } from '../fault-scripts.js';
import { connectCall, ringOut, type Connecting } from './connect.js';
import { CALLEE_NOT_REACHED, CALL_DECLINED } from './end-codes.js';
import { notificationIdentitySet } from './identity.js';
import { armKeepAlive, type CallSetup } from './lifecycle.js';
import type { CallRecord } from './registry.js';

/** A call just opened, and (when announced) the promise of its first callbacks. */
export interface OpenedCall {
  call: CallRecord;
  first: Promise<unknown> | null;
}

/**
 * Opens a call. Announced (like `POST /communications/calls`): it starts
 * `establishing`, and the callee does what `script.callee` says (answers by
 * default). Silent: it is established at once with its roster, and nothing is sent.
 */
export function openCall(ctx: EmulatorContext, setup: CallSetup, announce: boolean, script: CallScript = {}): OpenedCall {
  const { targets, ...fields } = setup;
  const call = ctx.registry.add({ ...fields, state: announce ? 'establishing' : 'established' });
  const joiners = [call.botIdentity, ...targets.map((t) => notificationIdentitySet(t, call.tenantId))];
  if (!announce) {
    ctx.registry.join(call, joiners, call.myParticipantId);
    armKeepAlive(ctx, call);
    return { call, first: null };
  }
  return { call, first: callee(ctx, call, joiners, script).first };
}

function callee(ctx: EmulatorContext, call: CallRecord, joiners: CallSetup['targets'], script: CallScript): Connecting {
  const faults = ctx.faults.callbackFaults(script);
  switch (script.callee ?? 'answer') {
    case 'decline':
      return ringOut(ctx, call, ctx.options.autoAnswerMs, script.endResult ?? CALL_DECLINED, faults);
    case 'noAnswer':
      return ringOut(ctx, call, ctx.options.ringTimeoutMs, script.endResult ?? CALLEE_NOT_REACHED, faults);
    default:
      return connectCall(ctx, call, joiners, faults, script.outOfOrder === true);
  }
}
