import type { EmulatorContext } from '../context.js';
import type { IdentitySet } from '../types.js';
import { botIdentity, callKind } from './create.js';
import { notificationIdentitySet } from './identity.js';
import { rosterNotice } from './lifecycle.js';
import { openCall } from './open.js';
import type { CallRecord, ParticipantRecord } from './registry.js';
import type { CreateCallOptions } from './snapshot.js';

/**
 * A call made by a test rather than by the bot: what Graph would hold if the
 * call existed already (a group call to invite into, a peer-to-peer call to
 * replace, a meeting to move someone from).
 */
export function createCallFixture(ctx: EmulatorContext, options: CreateCallOptions): CallRecord {
  const participants = options.participants ?? [];
  const tenantId = options.tenantId ?? ctx.options.tenantId;
  const request = {
    targets: participants.map((identity) => ({ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity })),
    requestedModalities: ['audio'],
    ...(options.chatInfo === undefined ? {} : { chatInfo: options.chatInfo }),
    ...(options.meetingInfo === undefined ? {} : { meetingInfo: options.meetingInfo }),
  };
  return openCall(
    ctx,
    {
      id: options.id,
      callbackUri: options.callbackUri,
      tenantId,
      kind: options.kind ?? callKind(participants.length, options.meetingInfo !== undefined, options.chatInfo !== undefined),
      direction: 'outgoing',
      botIdentity: botIdentity(undefined, ctx.options.appId, tenantId),
      request,
      targets: participants,
    },
    options.announce === true,
  ).call;
}

/** Someone joins a call on their own (not through an invite): the bot gets a roster `updated`. */
export function joinCall(ctx: EmulatorContext, call: CallRecord, identity: IdentitySet): string {
  const [participant] = ctx.registry.join(call, [notificationIdentitySet(identity, call.tenantId)]) as [ParticipantRecord];
  void ctx.notifier.send([rosterNotice(call, 'updated', [participant])], ctx.faults.callbackFaults());
  return participant.id;
}
