import type { CallRecord, ParticipantRecord } from '../calls/registry.js';
import type { EmulatorContext } from '../context.js';
import { badRequest, itemNotFound } from '../http/errors.js';
import type { RequestContext, Route } from '../http/server.js';
import { ACTIONS } from './catalog.js';
import { ACTIVE_STATES, type ActionDescriptor } from './descriptor.js';
import { handleAction } from './handle.js';

/** How the routes name a call's path: the version and the call's pattern, and path parameters read back. */
export interface ActionRouting {
  callPattern: string;
  live: (req: RequestContext) => CallRecord;
  param: (req: RequestContext, name: string) => string;
}

/**
 * `POST .../calls/{id}/{action}` and `POST .../calls/{id}/participants/{pid}/{action}`
 * for every action of the catalog (the segment also as `microsoft.graph.{action}`,
 * as the sendDtmfTones page writes it). A call that is ending takes no action (404);
 * one in a state the action does not fit (answer an established call, play a
 * prompt before answering) is a 400.
 */
export function actionRoutes(ctx: EmulatorContext, routing: ActionRouting): Route[] {
  return ACTIONS.map((action) => ({
    method: 'POST',
    pattern: new RegExp(`${routing.callPattern}${action.target === 'participant' ? '/participants/(?<participantId>[^/]+)' : ''}/(?:microsoft\\.graph\\.)?${action.segment}$`),
    handler: (req) => {
      const call = routing.live(req);
      if (call.state === 'terminating') throw itemNotFound(`Call ${call.id} was not found or has ended.`);
      if (!(action.states ?? ACTIVE_STATES).includes(call.state)) throw badRequest(`${action.segment} is not allowed on a call in state ${call.state}.`);
      return handleAction(ctx, action, routing.param(req, 'version'), call, participantOf(action, call, routing.param(req, 'participantId')), req.body);
    },
  }));
}

function participantOf(action: ActionDescriptor, call: CallRecord, participantId: string): ParticipantRecord | undefined {
  if (action.target !== 'participant') return undefined;
  const participant = call.participants.get(participantId);
  if (participant === undefined) throw itemNotFound(`Participant ${participantId} is not in the call.`);
  return participant;
}
