import { CONVERSATION_ENDED, beginEnding, beginLeaving } from '../calls/lifecycle.js';
import type { CallRecord } from '../calls/registry.js';
import type { EmulatorContext } from '../context.js';
import { itemNotFound } from '../http/errors.js';
import type { HttpResult } from '../http/server.js';
import { scriptedError, settled } from '../operations/flow.js';
import { disarmAll } from '../calls/timers.js';

/**
 * `DELETE /communications/calls/{id}`: 204, then `terminating` and `deleted`
 * (200/5001), as scripted by the next `hangUp` fault. A second DELETE while the
 * call is ending is answered like the first.
 */
export async function hangUp(ctx: EmulatorContext, call: CallRecord): Promise<HttpResult> {
  const script = ctx.faults.takeOperation('hangUp');
  if (script.httpError !== undefined) throw scriptedError(script.httpError, 'hangUp');
  if (script.neverComplete === true) {
    // The call ends without a word to the bot.
    if (call.state !== 'terminating' && call.state !== 'terminated') {
      disarmAll(call);
      call.state = 'terminated';
      call.resultInfo = CONVERSATION_ENDED;
    }
    return { status: 204 };
  }
  await settled(ctx, script.overtake, beginEnding(ctx, call, CONVERSATION_ENDED, ctx.faults.callbackFaults(script)));
  return { status: 204 };
}

/** `DELETE .../participants/{pid}`: 204 and a roster `deleted`, as scripted by the next `removeParticipant` fault. */
export async function removeParticipant(ctx: EmulatorContext, call: CallRecord, participantId: string): Promise<HttpResult> {
  const script = ctx.faults.takeOperation('removeParticipant');
  if (script.httpError !== undefined) throw scriptedError(script.httpError, 'removeParticipant');
  if (!call.participants.has(participantId)) throw itemNotFound(`Participant ${participantId} is not in the call.`);
  if (script.neverComplete === true) {
    ctx.registry.removeParticipant(call, participantId, ctx.registry.nextRosterSequence(call));
    return { status: 204 };
  }
  await settled(ctx, script.overtake, beginLeaving(ctx, call, participantId, ctx.faults.callbackFaults(script))?.sent ?? null);
  return { status: 204 };
}
