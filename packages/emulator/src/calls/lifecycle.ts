import type { EmulatorContext } from '../context.js';
import type { CallbackFaults } from '../faults.js';
import type { IdentitySet, ResultInfo } from '../types.js';
import type { Notice } from '../callbacks/notifier.js';
import { notificationIdentitySet } from './identity.js';
import type { CallRecord, NewCall, ParticipantRecord } from './registry.js';
import { callResource, participantResource } from './resources.js';

/** The resultInfo of a call that ended normally (Graph's 200/5001). */
export const CONVERSATION_ENDED: ResultInfo = { code: 200, subcode: 5001, message: 'The conversation has ended.' };

/** A call to open: the registry's fields plus the identities that take part besides the bot. */
export type CallSetup = Omit<NewCall, 'state'> & { targets: IdentitySet[] };

/**
 * Opens a call. Announced (like `POST /communications/calls`): it starts
 * `establishing`, is `established` when the targets answer, and the bot gets
 * call `updated` notifications and a roster. Silent: it is established at once
 * with its roster, and nothing is sent.
 */
export function openCall(ctx: EmulatorContext, setup: CallSetup, announce: boolean): CallRecord {
  const { targets, ...fields } = setup;
  const call = ctx.registry.add({ ...fields, state: announce ? 'establishing' : 'established' });
  const join = (): ParticipantRecord[] => {
    const identities = [call.botIdentity, ...targets.map((t) => notificationIdentitySet(t, call.tenantId))];
    return ctx.registry.join(call, identities, call.myParticipantId);
  };
  if (!announce) {
    join();
    return call;
  }
  const faults = ctx.faults.callbackFaults();
  void ctx.notifier.send([callNotice(call, 'updated')], faults);
  ctx.scheduler.after(ctx.options.autoAnswerMs, () => {
    if (call.state !== 'establishing') return;
    call.state = 'established';
    const joined = join();
    void ctx.notifier.send([callNotice(call, 'updated'), rosterNotice(call, 'updated', joined)], faults);
  });
  return call;
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
  if (call.state === 'terminating' || call.state === 'terminated') return null;
  const applied = faults ?? ctx.faults.callbackFaults();
  call.state = 'terminating';
  const terminating = ctx.notifier.send([callNotice(call, 'updated')], applied);
  const terminated = new Promise<unknown>((resolve) => {
    ctx.scheduler.after(ctx.options.callbackDelayMs, () => {
      call.state = 'terminated';
      call.resultInfo = resultInfo;
      resolve(ctx.notifier.send([callNotice(call, 'deleted')], applied));
    });
  });
  return Promise.all([terminating, terminated]);
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

/** A notification carrying the call resource as it is now. */
export function callNotice(call: CallRecord, changeType: 'created' | 'updated' | 'deleted'): Notice {
  return { kind: 'call', call, changeType, subPath: '', resourceData: callResource(call) };
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
