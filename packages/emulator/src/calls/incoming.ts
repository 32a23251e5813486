import { randomUUID } from 'node:crypto';
import type { EmulatorContext } from '../context.js';
import type { CallKind, IdentitySet, JsonObject } from '../types.js';
import { isHttpUrl } from './create.js';
import { ANSWER_TIMEOUT } from './end-codes.js';
import { notificationIdentitySet } from './identity.js';
import { callNotice, terminateCall } from './lifecycle.js';
import type { CallRecord } from './registry.js';
import { arm } from './timers.js';

/** Options of {@link GraphEmulator.placeIncomingCall}. */
export interface IncomingCallOptions {
  /** The bot's callbackUri, where the `created` notification goes. */
  callbackUri: string;
  /** The caller; default a user with a new id. */
  from?: IdentitySet;
  /** Whom the call is for; default the bot's application (`appId`). */
  to?: IdentitySet;
  /** Default `peerToPeer`; a `group` or `meeting` invite carries chatInfo (and meetingInfo). */
  kind?: CallKind;
  /** The call id; a new GUID by default. */
  id?: string;
  /** The call's tenant; the emulator's tenant by default. */
  tenantId?: string;
  /** Default `['audio']`. */
  requestedModalities?: string[];
  /** Default for group calls and meetings: a made-up meeting thread. */
  chatInfo?: JsonObject;
  /** Default for meetings: an organizerMeetingInfo naming the caller. */
  meetingInfo?: JsonObject;
}

/**
 * Someone calls the bot: a call in `incoming`, announced by a `created`
 * notification (the answer page's "Notification - incoming"). Unless the bot
 * answers, rejects or redirects it within `answerTimeoutMs`, the call ends:
 * `deleted` with `terminated` and 408/1106.
 */
export function placeIncomingCall(ctx: EmulatorContext, options: IncomingCallOptions): CallRecord {
  if (!isHttpUrl(options.callbackUri)) throw new TypeError(`callbackUri must be an absolute http(s) URL, not "${options.callbackUri}"`);
  const tenantId = options.tenantId ?? ctx.options.tenantId;
  const from = notificationIdentitySet(options.from ?? { user: { id: randomUUID(), displayName: 'Caller' } }, tenantId);
  const to = notificationIdentitySet(options.to ?? { application: { id: ctx.options.appId, displayName: 'Calling Bot' } }, tenantId);
  const kind = options.kind ?? 'peerToPeer';
  const request: JsonObject = {
    source: { '@odata.type': '#microsoft.graph.participantInfo', identity: from },
    targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: to }],
    requestedModalities: [...(options.requestedModalities ?? ['audio'])],
    ...meetingFields(kind, from, options),
  };
  const call = ctx.registry.add({ id: options.id, callbackUri: options.callbackUri, tenantId, kind, direction: 'incoming', botIdentity: to, request, state: 'incoming' });
  void ctx.notifier.send([callNotice(call, 'created')], ctx.faults.callbackFaults());
  arm(ctx, call, 'answer', ctx.options.answerTimeoutMs, () => {
    if (call.state === 'incoming') void terminateCall(ctx, call, ANSWER_TIMEOUT);
  });
  return call;
}

function meetingFields(kind: CallKind, from: IdentitySet, options: IncomingCallOptions): JsonObject {
  if (kind === 'peerToPeer') return {};
  const chatInfo = options.chatInfo ?? { '@odata.type': '#microsoft.graph.chatInfo', threadId: `19:meeting_${randomUUID().replaceAll('-', '')}@thread.v2`, messageId: '0' };
  const meetingInfo = options.meetingInfo ?? (kind === 'meeting' ? { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: structuredClone(from) } : undefined);
  return { chatInfo: structuredClone(chatInfo), ...(meetingInfo === undefined ? {} : { meetingInfo: structuredClone(meetingInfo) }) };
}
