import type { EmulatorContext } from '../context.js';
import type { CallbackFaults } from '../faults.js';
import type { IdentitySet, JsonObject, ResultInfo } from '../types.js';
import type { Notice } from '../callbacks/notifier.js';
import { CONVERSATION_ENDED, KEEPALIVE_TIMEOUT } from './end-codes.js';
import type { CallRecord, NewCall, ParticipantRecord } from './registry.js';
import { callResource, participantResource } from './resources.js';
import { arm, disarmAll } from './timers.js';

export { CONVERSATION_ENDED } from './end-codes.js';

/** A call to open: the registry's fields plus the identities that take part besides the bot. */
export type CallSetup = Omit<NewCall, 'state'> & { targets: IdentitySet[] };

/** True once the call is ending or has ended: it takes no more requests or state changes. */
export function isEnding(call: CallRecord): boolean {
  return call.state === 'terminating' || call.state === 'terminated';
}

/**
 * Ends a call from Graph's side: `updated` with `terminating`, then `deleted`
 * with `terminated` and the resultInfo. False when it was already ending.
 */
export function endCall(ctx: EmulatorContext, call: CallRecord, resultInfo: ResultInfo = CONVERSATION_ENDED, faults?: CallbackFaults): boolean {
  return beginEnding(ctx, call, resultInfo, faults) !== null;
}

/**
 * {@link endCall}, with a promise that settles once both callbacks are delivered
 * (or given up); null when the call was already ending.
 */
export function beginEnding(ctx: EmulatorContext, call: CallRecord, resultInfo: ResultInfo = CONVERSATION_ENDED, faults?: CallbackFaults): Promise<unknown> | null {
  if (isEnding(call)) return null;
  disarmAll(call);
  const applied = faults ?? ctx.faults.callbackFaults();
  call.state = 'terminating';
  const terminating = ctx.notifier.send([callNotice(call, 'updated')], applied);
  // Pending work for idle(), and settled when the emulator closes too (sleep resolves then), so
  // that nothing waiting on the ending (a held-back 204, close() itself) waits for ever.
  const done = ctx.scheduler.begin();
  const terminated = ctx.scheduler
    .sleep(ctx.options.callbackDelayMs)
    .then(() => {
      if (ctx.scheduler.closed) return undefined;
      call.state = 'terminated';
      call.resultInfo = resultInfo;
      return ctx.notifier.send([callNotice(call, 'deleted')], applied);
    })
    .finally(done);
  return Promise.all([terminating, terminated]);
}

/**
 * Ends a call at once, without `terminating`: one `deleted` notification with
 * `terminated` and the resultInfo (a missed answer or keepAlive, a reject, a
 * redirect, a completed transfer, a callee that declined). Null when it was already ending.
 */
export function terminateCall(ctx: EmulatorContext, call: CallRecord, resultInfo: ResultInfo, faults?: CallbackFaults): Promise<unknown> | null {
  if (isEnding(call)) return null;
  disarmAll(call);
  call.state = 'terminated';
  call.resultInfo = { ...resultInfo };
  return ctx.notifier.send([callNotice(call, 'deleted')], faults ?? ctx.faults.callbackFaults());
}

/** (Re)starts the keepAlive deadline: without a keepAlive for `keepAliveTimeoutMs`, the call ends with 408/8537. */
export function armKeepAlive(ctx: EmulatorContext, call: CallRecord): void {
  arm(ctx, call, 'keepAlive', ctx.options.keepAliveTimeoutMs, () => void terminateCall(ctx, call, KEEPALIVE_TIMEOUT));
}

/** A participant leaves the call: it goes off the roster and the bot gets a roster `deleted`. */
export function leaveCall(ctx: EmulatorContext, call: CallRecord, participantId: string, faults?: CallbackFaults): ParticipantRecord | undefined {
  return beginLeaving(ctx, call, participantId, faults)?.left;
}

/** {@link leaveCall}, with a promise that settles once the roster callback is delivered (or given up). */
export function beginLeaving(
  ctx: EmulatorContext,
  call: CallRecord,
  participantId: string,
  faults?: CallbackFaults,
): { left: ParticipantRecord; sent: Promise<unknown> } | undefined {
  const left = ctx.registry.removeParticipant(call, participantId, ctx.registry.nextRosterSequence(call));
  if (left === undefined) return undefined;
  return { left, sent: ctx.notifier.send([rosterNotice(call, 'deleted', [left])], faults ?? ctx.faults.callbackFaults()) };
}

/** A notification carrying the call resource as it is now, with `overrides` on top (`state`, `toneInfo`). */
export function callNotice(call: CallRecord, changeType: 'created' | 'updated' | 'deleted', overrides: JsonObject = {}): Notice {
  return { kind: 'call', call, changeType, subPath: '', resourceData: { ...callResource(call), ...overrides } };
}

/** A roster notification listing `participants`. */
export function rosterNotice(
  call: CallRecord,
  changeType: 'updated' | 'deleted',
  participants: readonly ParticipantRecord[],
  shape: { nullIds?: boolean; operationsPath?: boolean } = {},
): Notice {
  return {
    kind: 'roster',
    call,
    changeType,
    subPath: shape.operationsPath === true ? '/operations/participants' : '/participants',
    resourceData: participants.map((p) => participantResource(p, { nullId: shape.nullIds === true })),
  };
}
