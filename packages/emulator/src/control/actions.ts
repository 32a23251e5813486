import { TONES } from '../actions/media-params.js';
import { isHttpUrl } from '../calls/create.js';
import { createCallFixture, joinCall } from '../calls/fixtures.js';
import { placeIncomingCall, type IncomingCallOptions } from '../calls/incoming.js';
import { endCall, isEnding, leaveCall, rosterNotice } from '../calls/lifecycle.js';
import type { CallRecord } from '../calls/registry.js';
import { snapshot, type CallSnapshot, type CreateCallOptions } from '../calls/snapshot.js';
import { pressTone } from '../calls/tones.js';
import type { EmulatorContext } from '../context.js';
import type { CallFaults } from '../faults.js';
import type { IdentitySet, ResultInfo } from '../types.js';
import { conflict, invalid, notFound } from './errors.js';

/*
 * The Graph-side actions, once: the JS API (GraphEmulator), the control API and
 * the CLI all call these. Bad input throws a 400 ControlError, an unknown call or
 * participant a 404, a call that has ended (or is ending) a 409.
 */

/** A known call (ended ones included); 404 otherwise. */
export function knownCall(ctx: EmulatorContext, id: string): CallRecord {
  const call = ctx.registry.get(id);
  if (call === undefined) throw notFound(`No call ${id}.`);
  return call;
}

/** A call that has not ended and is not ending; 404 or 409 otherwise. */
export function liveCall(ctx: EmulatorContext, id: string): CallRecord {
  const call = knownCall(ctx, id);
  if (isEnding(call)) throw conflict(`Call ${id} has ended.`);
  return call;
}

/** Someone calls the bot (see `GraphEmulator.placeIncomingCall`). */
export function placeIncoming(ctx: EmulatorContext, options: IncomingCallOptions): CallSnapshot {
  if (typeof options.callbackUri !== 'string' || !isHttpUrl(options.callbackUri)) {
    throw invalid(`callbackUri must be an absolute http(s) URL, not "${String(options.callbackUri)}"`);
  }
  if (options.id !== undefined && ctx.registry.has(options.id)) throw conflict(`A call with id ${options.id} already exists.`);
  return snapshot(placeIncomingCall(ctx, options));
}

/** A call fixture (see `GraphEmulator.createCall`; the control API checks its callbackUri first). */
export function createFixture(ctx: EmulatorContext, options: CreateCallOptions): CallSnapshot {
  if (options.id !== undefined && ctx.registry.has(options.id)) throw conflict(`A call with id ${options.id} already exists.`);
  return snapshot(createCallFixture(ctx, options));
}

/** Ends a call from Graph's side: terminating, then terminated + deleted. Returns the call as it is then (terminating). */
export function endCallById(ctx: EmulatorContext, id: string, resultInfo?: ResultInfo): CallSnapshot {
  const call = liveCall(ctx, id);
  if (!endCall(ctx, call, resultInfo)) throw conflict(`Call ${id} has ended.`);
  return snapshot(call);
}

/** Someone joins the call: roster `updated`. Returns their participant id. */
export function addParticipantById(ctx: EmulatorContext, callId: string, identity: IdentitySet): string {
  return joinCall(ctx, liveCall(ctx, callId), identity);
}

/** A participant leaves the call: roster `deleted`. */
export function removeParticipantById(ctx: EmulatorContext, callId: string, participantId: string): void {
  if (leaveCall(ctx, liveCall(ctx, callId), participantId) === undefined) throw notFound(`No participant ${participantId} in call ${callId}.`);
}

/** Server (un)mute of a participant by Graph's side: roster `updated` with its `isMuted`. */
export function setMutedById(ctx: EmulatorContext, callId: string, participantId: string, muted: boolean): { participantId: string; isMuted: boolean } {
  const call = liveCall(ctx, callId);
  const participant = call.participants.get(participantId);
  if (participant === undefined) throw notFound(`No participant ${participantId} in call ${callId}.`);
  participant.isMuted = muted;
  participant.rosterSequenceNumber = ctx.registry.nextRosterSequence(call);
  void ctx.notifier.send([rosterNotice(call, 'updated', [participant])], ctx.faults.callbackFaults());
  return { participantId, isMuted: muted };
}

/** A participant presses a key: the toneInfo sequenceId, or null when the bot has not subscribed to tones. */
export function pressToneById(ctx: EmulatorContext, callId: string, tone: string): number | null {
  if (!(TONES as readonly string[]).includes(tone)) throw invalid(`tone must be one of: ${TONES.join(', ')}`);
  return pressTone(ctx, liveCall(ctx, callId), tone);
}

/** Sets (or with null clears) the callback faults of one call. Returns the faults now in force for it. */
export function setCallFaults(ctx: EmulatorContext, callId: string, faults: CallFaults | null): CallFaults {
  knownCall(ctx, callId);
  ctx.faults.forCall(callId, faults);
  return ctx.faults.ofCall(callId);
}
