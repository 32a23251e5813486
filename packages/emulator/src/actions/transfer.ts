import { TRANSFER_COMPLETED } from '../calls/end-codes.js';
import { identifiedEntries, phoneId } from '../calls/identity.js';
import { callNotice, terminateCall } from '../calls/lifecycle.js';
import type { CallRecord } from '../calls/registry.js';
import { badRequest } from '../http/errors.js';
import { later } from '../operations/flow.js';
import { isJsonObject, type JsonObject } from '../types.js';
import { invitationParticipantOf, participantInfoOf } from './control-params.js';
import type { AcceptScope, ActionDescriptor } from './descriptor.js';
import { bodyObject, clientContextOf, present } from './validate.js';

/** The transfer page's rules: a target always; a transferee from a group call; PSTN only from an application instance. */
function parseTransfer(raw: unknown, call: CallRecord): { clientContext: string | null; params: JsonObject } {
  const body = bodyObject(raw);
  const target = present(body, 'transferTarget');
  if (target === undefined) throw badRequest('transferTarget is required.');
  const transferTarget = invitationParticipantOf(target, 'transferTarget');
  if (phoneId(isJsonObject(transferTarget.identity) ? transferTarget.identity : {}) !== undefined && !identifiedEntries(call.botIdentity).some((e) => e.kind === 'applicationInstance')) {
    throw badRequest('Transfer to a PSTN number is supported only for an application instance.');
  }
  const transferee = present(body, 'transferee');
  if (transferee === undefined && call.kind === 'group') throw badRequest('transferee is required when transferring from a group call.');
  return {
    clientContext: clientContextOf(body),
    params: { transferTarget, transferee: transferee === undefined ? undefined : participantInfoOf(transferee, 'transferee') },
  };
}

/**
 * `updated` transferring now; after `operationDelayMs`, `updated` transferAccepted
 * and `deleted` terminated with 0/7015 — or, with a `fail` script, `updated`
 * established carrying that resultInfo. `neverComplete`: it stays transferring.
 */
function transfer({ ctx, call, script, faults }: AcceptScope): Promise<unknown> {
  call.state = 'transferring';
  const transferring = ctx.notifier.send([callNotice(call, 'updated')], faults);
  if (script.neverComplete === true) return transferring;
  const outcome = later(ctx, ctx.options.operationDelayMs, () => {
    if (call.state !== 'transferring') return null;
    if (script.fail !== undefined) {
      call.state = 'established';
      call.resultInfo = { ...script.fail };
      return ctx.notifier.send([callNotice(call, 'updated')], faults);
    }
    call.state = 'transferAccepted';
    const accepted = ctx.notifier.send([callNotice(call, 'updated')], faults);
    return Promise.all([accepted, terminateCall(ctx, call, TRANSFER_COMPLETED, faults)]);
  });
  return Promise.all([transferring, outcome]);
}

/** `POST .../transfer`: 202, no body, no operation; only on an established call. */
export const TRANSFER_ACTION: ActionDescriptor = {
  name: 'transfer',
  segment: 'transfer',
  target: 'call',
  status: 202,
  completes: 'none',
  type: '',
  states: ['established'],
  parse: parseTransfer,
  accept: transfer,
};
