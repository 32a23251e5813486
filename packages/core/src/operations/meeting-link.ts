import type { CreateCallRequest, MeetingToJoin } from './requests.js';
import type { Refuse } from './rules.js';
import { isRecord } from '../model/json.js';
import { MEETING_TO_JOIN } from './body-shapes.js';
import { shapeBody } from './shape.js';

// Teams, and the government clouds' Teams.
const TEAMS_HOST = /(^|\.)teams\.microsoft\.(com|us)$/i;
const THREAD = /^19:.+@thread\.(v2|skype|tacv2)$/i;

const decoded = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/** The `context` of a link (`{"Tid":…,"Oid":…}`), URL-encoded once or twice, or not at all. */
function context(raw: string | null): Record<string, unknown> | undefined {
  for (let text = raw, i = 0; text !== null && text !== undefined && i < 3; i++, text = decoded(text) ?? null) {
    try {
      const parsed: unknown = JSON.parse(text);
      return isRecord(parsed) ? parsed : undefined;
    } catch {
      // encoded once more than JSON.parse can read: decode and try again
    }
  }
  return undefined;
}

/**
 * What joining a Teams meeting adds to a new call: from a meeting link
 * (`https://teams.microsoft.com/l/meetup-join/{threadId}/{messageId}?context={"Tid":…,"Oid":…}`),
 * its chat (`chatInfo`), its organizer (`organizerMeetingInfo`) and tenant; or, from a meeting
 * id, a `joinMeetingIdMeetingInfo`.
 */
export function joinRequest(meeting: MeetingToJoin, refuse: Refuse): Pick<CreateCallRequest, 'chatInfo' | 'meetingInfo' | 'tenantId'> {
  if (!isRecord(meeting)) throw refuse('joinUrl', 'missing', 'give { joinUrl } or { joinMeetingId, passcode? }');
  shapeBody('joinMeetingId' in meeting ? MEETING_TO_JOIN.id : MEETING_TO_JOIN.link, meeting, refuse.key);
  if ('joinMeetingId' in meeting) {
    const { joinMeetingId, passcode } = meeting;
    if (typeof joinMeetingId !== 'string' || joinMeetingId.trim() === '') throw refuse('joinMeetingId', 'invalid', 'joinMeetingId must be a non-empty string');
    if (passcode !== undefined && typeof passcode !== 'string') throw refuse('joinMeetingId', 'invalid', 'passcode must be a string');
    return { meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId, passcode: passcode ?? null } };
  }
  const link = (meeting as { joinUrl?: unknown }).joinUrl;
  const notALink = (why: string) => refuse('joinUrl', 'invalid', `not a Teams meeting link (${why}): expected https://teams.microsoft.com/l/meetup-join/{threadId}/{messageId}?context=...`);
  if (typeof link !== 'string') throw notALink('no joinUrl');
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    throw notALink('not a URL');
  }
  if (url.protocol !== 'https:' || !TEAMS_HOST.test(url.hostname)) throw notALink(`host ${url.hostname}`);
  const [, l, kind, thread, message] = url.pathname.split('/');
  const threadId = thread === undefined ? undefined : decoded(thread);
  const messageId = message === undefined ? undefined : decoded(message);
  if (l !== 'l' || kind !== 'meetup-join' || !threadId || !THREAD.test(threadId)) throw notALink('no meeting thread');
  if (!messageId) throw notALink('no message id');
  const ctx = context(url.searchParams.get('context'));
  const tenantId = ctx?.['Tid'];
  const organizer = ctx?.['Oid'];
  if (typeof tenantId !== 'string' || typeof organizer !== 'string' || !tenantId || !organizer) throw notALink('no Tid and Oid in its context');
  return {
    chatInfo: { threadId, messageId },
    meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { user: { id: organizer, tenantId } } },
    tenantId,
  };
}
