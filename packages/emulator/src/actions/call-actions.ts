import { armKeepAlive, rosterNotice } from '../calls/lifecycle.js';
import type { ParticipantRecord } from '../calls/registry.js';
import type { ActionDescriptor, ActionScope, Completion } from './descriptor.js';
import { checkMediaPrompt } from './media-params.js';
import { bodyObject, clientContextOf, present, requiredEnum } from './validate.js';

const clientContextOnly = (body: unknown) => ({ clientContext: clientContextOf(bodyObject(body)), params: {} });

/** Server (un)mute: the participant's `isMuted` changes and the bot gets a roster `updated` with it. */
function setMuted(scope: ActionScope, participant: ParticipantRecord | undefined, muted: boolean): Completion {
  if (participant === undefined) return {};
  participant.isMuted = muted;
  participant.rosterSequenceNumber = scope.ctx.registry.nextRosterSequence(scope.call);
  return { notices: [{ notice: rosterNotice(scope.call, 'updated', [participant]) }] };
}

const self = (scope: ActionScope) => scope.call.participants.get(scope.call.myParticipantId);

/** Mute, hold music, recording status, screen sharing, keepAlive. */
export const CALL_ACTIONS: readonly ActionDescriptor[] = [
  {
    name: 'mute',
    segment: 'mute',
    target: 'call',
    status: 200,
    completes: 'response',
    type: '#microsoft.graph.muteParticipantOperation',
    odataContext: true,
    parse: clientContextOnly,
    complete: (scope) => setMuted(scope, self(scope), true),
  },
  {
    name: 'unmute',
    segment: 'unmute',
    target: 'call',
    status: 200,
    completes: 'response',
    type: '#microsoft.graph.unmuteParticipantOperation',
    odataContext: true,
    parse: clientContextOnly,
    complete: (scope) => setMuted(scope, self(scope), false),
  },
  {
    name: 'muteParticipant',
    segment: 'mute',
    target: 'participant',
    status: 200,
    completes: 'response',
    type: '#microsoft.graph.muteParticipantOperation',
    odataContext: true,
    parse: clientContextOnly,
    complete: (scope) => setMuted(scope, scope.participant, true),
  },
  {
    name: 'startHoldMusic',
    segment: 'startHoldMusic',
    target: 'participant',
    status: 202,
    completes: 'callback',
    type: '#microsoft.graph.startHoldMusicOperation',
    parse: (raw) => {
      const body = bodyObject(raw);
      const prompt = present(body, 'customPrompt');
      return { clientContext: clientContextOf(body), params: { customPrompt: prompt === undefined ? undefined : checkMediaPrompt(prompt, 'customPrompt') } };
    },
  },
  {
    name: 'stopHoldMusic',
    segment: 'stopHoldMusic',
    target: 'participant',
    status: 202,
    completes: 'callback',
    type: '#microsoft.graph.stopHoldMusicOperation',
    parse: clientContextOnly,
  },
  {
    name: 'updateRecordingStatus',
    segment: 'updateRecordingStatus',
    target: 'call',
    status: 200,
    completes: 'response',
    type: '#microsoft.graph.updateRecordingStatusOperation',
    parse: (raw) => {
      const body = bodyObject(raw);
      return { clientContext: clientContextOf(body), params: { status: requiredEnum(body, 'status', ['notRecording', 'recording', 'failed']) } };
    },
  },
  {
    name: 'changeScreenSharingRole',
    segment: 'changeScreenSharingRole',
    target: 'call',
    status: 202,
    completes: 'none',
    type: '',
    parse: (raw) => ({ clientContext: null, params: { role: requiredEnum(bodyObject(raw), 'role', ['viewer', 'sharer']) } }),
  },
  {
    name: 'keepAlive',
    segment: 'keepAlive',
    target: 'call',
    status: 200,
    completes: 'none',
    type: '',
    // "Do not supply a request body": whatever comes is ignored.
    parse: () => ({ clientContext: null, params: {} }),
    // The 45-minute clock starts again (once the call is established).
    accept: ({ ctx, call }) => {
      if (call.timers.has('keepAlive')) armKeepAlive(ctx, call);
      return null;
    },
  },
];
