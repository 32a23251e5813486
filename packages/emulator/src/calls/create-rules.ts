import { randomUUID } from 'node:crypto';
import { badRequest } from '../http/errors.js';
import { E164, MAX_INVITEES } from '../invite/validate.js';
import { isJsonObject, type IdentitySet, type JsonObject } from '../types.js';
import { identifiedEntries, phoneId } from './identity.js';

const ORGANIZER_MEETING = '#microsoft.graph.organizerMeetingInfo';
const JOIN_MEETING_ID = '#microsoft.graph.joinMeetingIdMeetingInfo';

/**
 * The targets of a new call, as the create-call page allows them: a group call
 * takes at most 5 VoIP targets; a PSTN call one `phone` target in E.164, and an
 * application instance as its `source`.
 */
export function checkCallTargets(targets: readonly IdentitySet[], source: unknown): void {
  if (targets.length > MAX_INVITEES) throw badRequest(`A group call takes at most ${MAX_INVITEES} targets.`);
  const phones = targets.map(phoneId).filter((id): id is string => id !== undefined);
  if (phones.length === 0) return;
  if (targets.length > 1) throw badRequest('A PSTN call takes one phone target; group calls take VoIP targets only.');
  for (const phone of phones) if (!E164.test(phone)) throw badRequest(`The phone number ${phone} is not in E.164 format.`);
  const identity = isJsonObject(source) ? source.identity : undefined;
  const instance = isJsonObject(identity) ? identifiedEntries(identity).find((e) => e.kind === 'applicationInstance') : undefined;
  if (instance === undefined) throw badRequest('A PSTN call needs source.identity.applicationInstance: an application instance with a phone number.');
}

/**
 * Checks a meeting join: by organizer (`organizerMeetingInfo` with
 * `organizer.user.id`, and `chatInfo` with `threadId` and `messageId`) or by
 * meeting id (`joinMeetingIdMeetingInfo` with `joinMeetingId`, `passcode`
 * optional). Returns the chatInfo the call carries: the request's, or for a join
 * by id one Graph makes up (the page's response lists one).
 */
export function checkMeeting(meetingInfo: JsonObject, chatInfo: unknown): JsonObject {
  const type = meetingInfo['@odata.type'];
  if (type === ORGANIZER_MEETING) {
    const organizer = meetingInfo.organizer;
    const user = isJsonObject(organizer) ? organizer.user : undefined;
    if (!isJsonObject(user) || !nonEmpty(user.id)) throw badRequest('organizerMeetingInfo needs organizer.user.id.');
    if (!isJsonObject(chatInfo) || !nonEmpty(chatInfo.threadId) || typeof chatInfo.messageId !== 'string') {
      throw badRequest('Joining a meeting by organizer needs chatInfo with threadId and messageId.');
    }
    return chatInfo;
  }
  if (type === JOIN_MEETING_ID) {
    if (!nonEmpty(meetingInfo.joinMeetingId)) throw badRequest('joinMeetingIdMeetingInfo needs joinMeetingId.');
    const passcode = meetingInfo.passcode;
    if (passcode !== undefined && passcode !== null && typeof passcode !== 'string') throw badRequest('passcode must be a string.');
    if (isJsonObject(chatInfo)) return chatInfo;
    return { '@odata.type': '#microsoft.graph.chatInfo', threadId: `19:meeting_${randomUUID().replaceAll('-', '')}@thread.v2`, messageId: '0', replyChainMessageId: null };
  }
  throw badRequest(`meetingInfo must be a ${ORGANIZER_MEETING} or a ${JOIN_MEETING_ID}.`);
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
