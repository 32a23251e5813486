import { connectCall } from '../calls/connect.js';
import { ENDED_BY_BOT } from '../calls/end-codes.js';
import { callNotice, terminateCall } from '../calls/lifecycle.js';
import type { CallRecord } from '../calls/registry.js';
import { disarm } from '../calls/timers.js';
import { badRequest } from '../http/errors.js';
import { later } from '../operations/flow.js';
import { isJsonObject, type IdentitySet, type JsonObject } from '../types.js';
import { callbackUriOf, invitationParticipantsOf, mediaConfigOf, modalitiesOf } from './control-params.js';
import type { AcceptScope, ActionDescriptor } from './descriptor.js';
import { bodyObject, optionalInteger, present } from './validate.js';

/** The redirect page's limits. */
export const MAX_REDIRECT_TARGETS = 25;
/** The bounds of a redirect's `timeout`, in seconds. */
export const REDIRECT_TIMEOUT_SECONDS = { min: 15, max: 90 };

/** Reject reasons (the page writes them `None`, `Busy`, `Forbidden`; its examples in lower case). */
export const REJECT_REASONS = ['none', 'busy', 'forbidden'] as const;

/** An answer, reject or redirect settles the incoming call: its answer deadline stops, and it may name a new callbackUri. */
function settleIncoming(call: CallRecord, params: JsonObject): void {
  disarm(call, 'answer');
  if (typeof params.callbackUri === 'string') call.callbackUri = params.callbackUri;
}

/** The caller of an incoming call (its `source`). */
function caller(call: CallRecord): IdentitySet[] {
  const source = call.request.source;
  return isJsonObject(source) && isJsonObject(source.identity) ? [source.identity] : [];
}

function answer({ ctx, call, params, script, faults }: AcceptScope): Promise<unknown> {
  settleIncoming(call, params);
  call.request.mediaConfig = params.mediaConfig;
  call.state = 'establishing';
  return connectCall(ctx, call, [call.botIdentity, ...caller(call)], faults, script.outOfOrder === true).all;
}

function redirect({ ctx, call, params, faults }: AcceptScope): Promise<unknown> {
  settleIncoming(call, params);
  call.state = 'redirecting';
  const redirecting = ctx.notifier.send([callNotice(call, 'updated')], faults);
  const [first] = Array.isArray(params.targets) ? params.targets : [];
  // The first target picks up (the page's terminated notification names who answered).
  const ended = later(ctx, ctx.options.autoAnswerMs, () => {
    if (call.state !== 'redirecting') return null;
    if (isJsonObject(first)) call.request.answeredBy = { '@odata.type': '#microsoft.graph.participantInfo', identity: structuredClone(first.identity), endpointType: 'default' };
    return terminateCall(ctx, call, ENDED_BY_BOT, faults);
  });
  return Promise.all([redirecting, ended]);
}

/**
 * An action on a call in `incoming` (answer, reject, redirect): 202 with no body and no
 * operation; `paramsOf` checks the body object, `accept` settles the call.
 */
function incomingAction(name: 'answer' | 'reject' | 'redirect', paramsOf: (body: JsonObject) => JsonObject, accept: (scope: AcceptScope) => Promise<unknown> | null): ActionDescriptor {
  return {
    name,
    segment: name,
    target: 'call',
    status: 202,
    completes: 'none',
    type: '',
    states: ['incoming'],
    parse: (raw) => ({ clientContext: null, params: paramsOf(bodyObject(raw)) }),
    accept,
  };
}

/** answer, reject and redirect: only on a call in `incoming`; 202 with no body. */
export const INCOMING_ACTIONS: readonly ActionDescriptor[] = [
  incomingAction(
    'answer',
    (body) => {
      const capacity = optionalInteger(body, 'participantCapacity', 1, Number.MAX_SAFE_INTEGER);
      const callOptions = present(body, 'callOptions');
      if (callOptions !== undefined && !isJsonObject(callOptions)) throw badRequest('callOptions must be an incomingCallOptions object.');
      return { callbackUri: callbackUriOf(body, true), acceptedModalities: modalitiesOf(body), mediaConfig: mediaConfigOf(body), participantCapacity: capacity };
    },
    answer,
  ),
  incomingAction(
    'reject',
    (body) => {
      const reason = present(body, 'reason') ?? 'none';
      if (typeof reason !== 'string' || !(REJECT_REASONS as readonly string[]).includes(reason.toLowerCase())) {
        throw badRequest(`reason must be one of: ${REJECT_REASONS.join(', ')} (any case).`);
      }
      return { reason: reason.toLowerCase(), callbackUri: callbackUriOf(body, false) };
    },
    ({ ctx, call, params, faults }) => {
      settleIncoming(call, params);
      return terminateCall(ctx, call, ENDED_BY_BOT, faults);
    },
  ),
  incomingAction(
    'redirect',
    (body) => {
      const targets = invitationParticipantsOf(body, 'targets', 1, MAX_REDIRECT_TARGETS);
      const timeout = optionalInteger(body, 'timeout', REDIRECT_TIMEOUT_SECONDS.min, REDIRECT_TIMEOUT_SECONDS.max);
      return { targets, timeout, callbackUri: callbackUriOf(body, false) };
    },
    redirect,
  ),
];
