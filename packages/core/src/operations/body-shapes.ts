import { IDENTITY_KINDS, type IdentityKind } from '../model/graph.js';
import type { IdentityInput, IdentitySetInput } from '../model/identity.js';
import type { ActionRequests } from './actions.js';
import type { CallOptions, ChatInfo, InvitationParticipantInput, MediaConfig, MediaInfo, MediaPrompt, MeetingInfo, ParticipantInfoInput } from './request-parts.js';
import type { MeetingToJoin, WithClientContext } from './requests.js';
import { shapeBody, shapeOf, type RefuseKey, type Shape } from './shape.js';

/*
 * The keys each request body may hold, from Microsoft's v1.0 pages (and the beta fields the
 * types name). `ShapeFields` makes each list name exactly the fields of its type: a field added
 * to a type and not here, or here and not in the type, fails to compile.
 */

const ODATA = { '@odata.type': null } as const;

const IDENTITY = shapeOf<IdentityInput>(
  'an identity',
  { ...ODATA, id: null, displayName: null, tenantId: null, identityProvider: null, applicationType: null, hidden: null, azureCommunicationServicesResourceId: null },
  false,
);
const KINDS = Object.fromEntries(IDENTITY_KINDS.map((kind) => [kind, IDENTITY])) as Record<IdentityKind, Shape>;
const IDENTITY_SET = shapeOf<IdentitySetInput>('an identitySet', { ...ODATA, ...KINDS, assertedIdentity: IDENTITY, endpointType: null }, false);

const MEDIA_INFO = shapeOf<MediaInfo>('a mediaInfo', { ...ODATA, uri: null, resourceId: null }, false);
const PROMPT = shapeOf<MediaPrompt>('a mediaPrompt', { ...ODATA, mediaInfo: MEDIA_INFO }, false);
const MEDIA_CONFIG = shapeOf<MediaConfig>('a mediaConfig', { ...ODATA, preFetchMedia: MEDIA_INFO, blob: null, removeFromDefaultAudioGroup: null }, false);
const CALL_OPTIONS = shapeOf<CallOptions>('callOptions', { ...ODATA, hideBotAfterEscalation: null, isContentSharingNotificationEnabled: null, isDeltaRosterEnabled: null }, false);
const CHAT_INFO = shapeOf<ChatInfo>('a chatInfo', { ...ODATA, threadId: null, messageId: null, replyChainMessageId: null }, false);
const MEETING_INFO = shapeOf<MeetingInfo>('a meetingInfo', { ...ODATA, organizer: IDENTITY_SET, allowConversationWithoutHost: null, joinMeetingId: null, passcode: null, token: null }, false);

const INVITEE = shapeOf<InvitationParticipantInput>(
  'an invitationParticipantInfo',
  { ...ODATA, identity: IDENTITY_SET, replacesCallId: null, participantId: null, hidden: null, removeFromDefaultAudioRoutingGroup: null, endpointType: null },
  true,
);
const PARTICIPANT_INFO = shapeOf<ParticipantInfoInput>(
  'a participantInfo',
  { ...ODATA, identity: IDENTITY_SET, endpointType: null, participantId: null, countryCode: null, languageId: null, region: null },
  true,
);

const REQUEST = 'the request';
const CLIENT_CONTEXT = { clientContext: null } as const;
const ONLY_CLIENT_CONTEXT = shapeOf<WithClientContext>(REQUEST, CLIENT_CONTEXT, true);
const NO_BODY = shapeOf<Record<never, never>>('the request (it takes none)', {}, false);
const WHERE = { callbackUri: null } as const;
type Body<A extends keyof ActionRequests> = ActionRequests[A];

/** The keys of each action's body. */
export const BODY_SHAPES: { readonly [A in keyof ActionRequests]: Shape } = {
  answer: shapeOf<Body<'answer'>>(REQUEST, { ...WHERE, acceptedModalities: null, mediaConfig: MEDIA_CONFIG, callOptions: CALL_OPTIONS, participantCapacity: null }, true),
  reject: shapeOf<Body<'reject'>>(REQUEST, { ...WHERE, reason: null }, true),
  redirect: shapeOf<Body<'redirect'>>(REQUEST, { ...WHERE, targets: INVITEE, timeout: null, maskCallee: null, maskCaller: null }, true),
  transfer: shapeOf<Body<'transfer'>>(REQUEST, { transferTarget: INVITEE, transferee: PARTICIPANT_INFO }, true),
  createCall: shapeOf<Body<'createCall'>>(
    REQUEST,
    {
      ...ODATA,
      ...WHERE,
      targets: INVITEE,
      source: PARTICIPANT_INFO,
      tenantId: null,
      meetingInfo: MEETING_INFO,
      chatInfo: CHAT_INFO,
      subject: null,
      callOptions: CALL_OPTIONS,
      requestedModalities: null,
      mediaConfig: MEDIA_CONFIG,
      callChainId: null,
    },
    true,
  ),
  invite: shapeOf<Body<'invite'>>(REQUEST, { ...CLIENT_CONTEXT, participants: INVITEE }, true),
  playPrompt: shapeOf<Body<'playPrompt'>>(REQUEST, { ...CLIENT_CONTEXT, prompts: PROMPT }, true),
  recordResponse: shapeOf<Body<'recordResponse'>>(
    REQUEST,
    { ...CLIENT_CONTEXT, prompts: PROMPT, bargeInAllowed: null, initialSilenceTimeoutInSeconds: null, maxSilenceTimeoutInSeconds: null, maxRecordDurationInSeconds: null, playBeep: null, stopTones: null },
    true,
  ),
  subscribeToTone: ONLY_CLIENT_CONTEXT,
  sendDtmfTones: shapeOf<Body<'sendDtmfTones'>>(REQUEST, { ...CLIENT_CONTEXT, tones: null, delayBetweenTonesMs: null }, true),
  cancelMediaProcessing: ONLY_CLIENT_CONTEXT,
  mute: ONLY_CLIENT_CONTEXT,
  unmute: ONLY_CLIENT_CONTEXT,
  updateRecordingStatus: shapeOf<Body<'updateRecordingStatus'>>(REQUEST, { ...CLIENT_CONTEXT, status: null }, true),
  changeScreenSharingRole: shapeOf<Body<'changeScreenSharingRole'>>(REQUEST, { role: null }, true),
  keepAlive: NO_BODY,
  hangUp: NO_BODY,
  muteParticipant: ONLY_CLIENT_CONTEXT,
  removeParticipant: NO_BODY,
  startHoldMusic: shapeOf<Body<'startHoldMusic'>>(REQUEST, { ...CLIENT_CONTEXT, customPrompt: PROMPT }, true),
  stopHoldMusic: ONLY_CLIENT_CONTEXT,
};

/** The keys of `bot.joinMeeting()`'s first argument: a link, or a meeting id and passcode. */
export const MEETING_TO_JOIN: { readonly link: Shape; readonly id: Shape } = {
  link: shapeOf<Extract<MeetingToJoin, { joinUrl: string }>>('a meeting to join ({ joinUrl })', { joinUrl: null }, false),
  id: shapeOf<Extract<MeetingToJoin, { joinMeetingId: string }>>('a meeting to join ({ joinMeetingId, passcode? })', { joinMeetingId: null, passcode: null }, false),
};

/**
 * An action's request as it is sent: every key checked against the action's shape (a key its
 * type does not name is refused, rule `unknown_field`, naming its path), each `extra` merged.
 */
export const shapeRequest = (action: keyof ActionRequests, request: Record<string, unknown>, refuse: RefuseKey): Record<string, unknown> =>
  shapeBody(BODY_SHAPES[action], request, refuse);
