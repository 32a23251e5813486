import { checkInviteBody, refuseInvite } from '../invite/validate-invite.js';
import type { OperationKind } from './resources.js';
import type {
  AnswerRequest,
  CreateCallRequest,
  RedirectRequest,
  RejectRequest,
  TransferRequest,
  ChangeScreenSharingRoleRequest,
  InviteRequest,
  PlayPromptRequest,
  RecordResponseRequest,
  SendDtmfTonesRequest,
  StartHoldMusicRequest,
  UpdateRecordingStatusRequest,
  WithClientContext,
} from './requests.js';
import {
  clientContext,
  flag,
  integer,
  keys,
  mediaConfig,
  modalities,
  object,
  oneOf,
  optionalOneOf,
  participant,
  prompt,
  prompts,
  targets,
  tones,
  url,
  type FieldCheck,
  type Refuse,
} from './rules.js';
import { checkCallTargets } from './call-targets.js';

/** What each action takes. */
export interface ActionRequests {
  /** Answer an incoming call. */
  answer: AnswerRequest;
  /** Reject an incoming call. */
  reject: RejectRequest;
  /** Redirect an incoming call. */
  redirect: RedirectRequest;
  /** Transfer an established peer-to-peer call. */
  transfer: TransferRequest;
  /** Place a call, or join a meeting. */
  createCall: CreateCallRequest;
  /** Invite participants into a call. */
  invite: InviteRequest;
  /** Play audio prompts. */
  playPrompt: PlayPromptRequest;
  /** Record what the caller says. */
  recordResponse: RecordResponseRequest;
  /** Receive the DTMF tones pressed in the call. */
  subscribeToTone: WithClientContext;
  /** Send DTMF tones. */
  sendDtmfTones: SendDtmfTonesRequest;
  /** Stop the prompts and recordings under way. */
  cancelMediaProcessing: WithClientContext;
  /** Mute the bot itself. */
  mute: WithClientContext;
  /** Unmute the bot itself. */
  unmute: WithClientContext;
  /** Tell Graph whether the bot records the call. */
  updateRecordingStatus: UpdateRecordingStatusRequest;
  /** Become a viewer or the sharer of the screen. */
  changeScreenSharingRole: ChangeScreenSharingRoleRequest;
  /** Keep the call from being ended for lack of keepAlive. */
  keepAlive: Record<string, never>;
  /** End the call for the bot. */
  hangUp: Record<string, never>;
  /** Mute one participant. */
  muteParticipant: WithClientContext;
  /** Remove one participant from the call. */
  removeParticipant: Record<string, never>;
  /** Put one participant on hold, with music. */
  startHoldMusic: StartHoldMusicRequest;
  /** Take one participant off hold. */
  stopHoldMusic: WithClientContext;
}

/** A Graph call action the bot can send. */
export type ActionName = keyof ActionRequests;

/** One Graph action: where it goes, what it checks, and what Graph answers. */
export interface ActionDescriptor {
  method: 'POST' | 'DELETE';
  /** The call itself, one of its participants (`.../participants/{participantId}`), or the calls collection (a new call). */
  scope: 'call' | 'participant' | 'calls';
  /** The path segment after the call or participant; '' for the resource itself. */
  path: string;
  /** The operation Graph answers with; actions without one resolve `void` once Graph accepted them. */
  kind?: OperationKind;
  /** Whether a JSON body is sent (keepAlive and DELETEs send none). */
  body: boolean;
  /** The documented rules, checked before any request. */
  checks: readonly FieldCheck[];
  /** The error a broken rule throws; default `RequestValidationError`. */
  refuse?: Refuse;
  /** Whether the body carries the bot's `callbackUri` (filled in from the option when left out). */
  callbackUri?: 'required' | 'optional';
  /** Fields filled in when the request leaves them out. */
  defaults?: Record<string, unknown>;
}

const SERVICE_HOSTED = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' };

const MAX_PROMPTS = 20;
const SECONDS = (field: Parameters<typeof integer>[0]): FieldCheck => integer(field, 1, 120);
const operation = (path: string, kind: OperationKind, ...checks: FieldCheck[]): ActionDescriptor => ({ method: 'POST', scope: 'call', path, kind, body: true, checks: [...checks, clientContext] });
const onParticipant = (descriptor: ActionDescriptor): ActionDescriptor => ({ ...descriptor, scope: 'participant' });

/** Every action, as Microsoft's v1.0 pages describe it: adding one is a line here, its body type, its keys in `BODY_SHAPES` (body-shapes.ts) and its tests. */
export const ACTIONS: { readonly [A in ActionName]: ActionDescriptor } = {
  answer: {
    method: 'POST',
    scope: 'call',
    path: 'answer',
    body: true,
    checks: [url('callbackUri'), modalities('acceptedModalities'), mediaConfig, object('callOptions'), integer('participantCapacity', 1, 10_000)],
    callbackUri: 'required',
    defaults: { acceptedModalities: ['audio'], mediaConfig: SERVICE_HOSTED },
  },
  reject: { method: 'POST', scope: 'call', path: 'reject', body: true, checks: [url('callbackUri'), optionalOneOf('reason', ['none', 'busy', 'forbidden'])], callbackUri: 'optional', defaults: { reason: 'none' } },
  redirect: { method: 'POST', scope: 'call', path: 'redirect', body: true, checks: [url('callbackUri'), targets('targets', 1, 25), integer('timeout', 15, 90)], callbackUri: 'optional' },
  transfer: { method: 'POST', scope: 'call', path: 'transfer', body: true, checks: [participant('transferTarget', true), object('transferee')] },
  createCall: {
    method: 'POST',
    scope: 'calls',
    path: '',
    body: true,
    checks: [url('callbackUri'), targets('targets', 0, 5), object('source'), object('meetingInfo'), object('chatInfo'), modalities('requestedModalities'), mediaConfig, checkCallTargets],
    callbackUri: 'required',
    defaults: { requestedModalities: ['audio'], mediaConfig: SERVICE_HOSTED },
  },
  invite: { ...operation('participants/invite', 'invite', checkInviteBody), refuse: refuseInvite },
  playPrompt: operation('playPrompt', 'playPrompt', prompts('prompts', 1, MAX_PROMPTS)),
  recordResponse: operation(
    'recordResponse',
    'recordResponse',
    prompts('prompts', 0, 1),
    flag('bargeInAllowed'),
    flag('playBeep'),
    SECONDS('initialSilenceTimeoutInSeconds'),
    SECONDS('maxSilenceTimeoutInSeconds'),
    SECONDS('maxRecordDurationInSeconds'),
    keys('stopTones'),
  ),
  subscribeToTone: operation('subscribeToTone', 'subscribeToTone'),
  sendDtmfTones: operation('sendDtmfTones', 'sendDtmfTones', tones('tones', 1), integer('delayBetweenTonesMs', 0, 60_000)),
  cancelMediaProcessing: operation('cancelMediaProcessing', 'cancelMediaProcessing'),
  mute: operation('mute', 'mute'),
  unmute: operation('unmute', 'unmute'),
  updateRecordingStatus: operation('updateRecordingStatus', 'updateRecordingStatus', oneOf('status', ['notRecording', 'recording', 'failed'])),
  changeScreenSharingRole: { method: 'POST', scope: 'call', path: 'changeScreenSharingRole', body: true, checks: [oneOf('role', ['viewer', 'sharer'])] },
  keepAlive: { method: 'POST', scope: 'call', path: 'keepAlive', body: false, checks: [] },
  hangUp: { method: 'DELETE', scope: 'call', path: '', body: false, checks: [] },
  muteParticipant: onParticipant(operation('mute', 'muteParticipant')),
  removeParticipant: { method: 'DELETE', scope: 'participant', path: '', body: false, checks: [] },
  startHoldMusic: onParticipant(operation('startHoldMusic', 'startHoldMusic', prompt('customPrompt'))),
  stopHoldMusic: onParticipant(operation('stopHoldMusic', 'stopHoldMusic')),
};

/** The path of an action under `/communications/calls/...`; the ids were checked as safe path segments. */
export function actionPath(descriptor: ActionDescriptor, callId: string, participantId?: string): string {
  if (descriptor.scope === 'calls') return '/communications/calls';
  let path = `/communications/calls/${encodeURIComponent(callId)}`;
  if (descriptor.scope === 'participant') path += `/participants/${encodeURIComponent(participantId ?? '')}`;
  return descriptor.path ? `${path}/${descriptor.path}` : path;
}
