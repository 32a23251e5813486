import { snapshot } from '../calls/snapshot.js';
import type { EmulatorContext } from '../context.js';
import type { Deliverer } from '../callbacks/delivery.js';
import type { RequestContext, Route } from '../http/server.js';
import {
  addParticipantById,
  createFixture,
  endCallById,
  knownCall,
  placeIncoming,
  pressToneById,
  removeParticipantById,
  setCallFaults,
  setMutedById,
} from './actions.js';
import { deliverySnapshot } from './delivery-snapshot.js';
import type { EventHub } from './events.js';
import { emulatorInfo } from './info.js';
import { inspectorRoutes } from '../inspector/route.js';
import { createCallBody, deliveriesQuery, endBody, faultsBody, incomingCallBody, muteBody, participantBody, toneBody } from './parse.js';

const CALLS = '^/_emulator/calls';
const CALL = `${CALLS}/(?<callId>[^/]+)`;
const PARTICIPANT = `${CALL}/participants/(?<participantId>[^/]+)`;

/** What the control routes need besides the context. */
export interface ControlParts {
  deliverer: Deliverer;
  events: EventHub;
}

/** The control API under `/_emulator/`, and the inspector (its page at `/`, its files under `/_emulator/inspector/`). */
export function controlRoutes(ctx: EmulatorContext, parts: ControlParts): Route[] {
  const id = (req: RequestContext): string => req.params['callId'] ?? '';
  const pid = (req: RequestContext): string => req.params['participantId'] ?? '';
  const at = (pattern: string): RegExp => new RegExp(`${pattern}/?$`);
  return [
    ...inspectorRoutes(),
    { method: 'GET', pattern: at('^/_emulator/info'), handler: () => ({ status: 200, body: emulatorInfo(ctx) }) },
    { method: 'GET', pattern: at(CALLS), handler: () => ({ status: 200, body: { calls: ctx.registry.list().map((call) => snapshot(call)) } }) },
    { method: 'POST', pattern: at(CALLS), handler: (req) => ({ status: 201, body: createFixture(ctx, createCallBody(req.body)) }) },
    { method: 'POST', pattern: at(`${CALLS}/incoming`), handler: (req) => ({ status: 201, body: placeIncoming(ctx, incomingCallBody(req.body)) }) },
    { method: 'GET', pattern: at(CALL), handler: (req) => ({ status: 200, body: snapshot(knownCall(ctx, id(req))) }) },
    {
      method: 'POST',
      pattern: at(`${CALL}/participants`),
      handler: (req) => ({ status: 201, body: { participantId: addParticipantById(ctx, id(req), participantBody(req.body)) } }),
    },
    {
      method: 'DELETE',
      pattern: at(PARTICIPANT),
      handler: (req) => {
        removeParticipantById(ctx, id(req), pid(req));
        return { status: 204 };
      },
    },
    { method: 'POST', pattern: at(`${PARTICIPANT}/mute`), handler: (req) => ({ status: 200, body: setMutedById(ctx, id(req), pid(req), muteBody(req.body)) }) },
    { method: 'POST', pattern: at(`${CALL}/tones`), handler: (req) => ({ status: 200, body: { sequenceId: pressToneById(ctx, id(req), toneBody(req.body)) } }) },
    { method: 'POST', pattern: at(`${CALL}/end`), handler: (req) => ({ status: 200, body: endCallById(ctx, id(req), endBody(req.body)) }) },
    { method: 'PUT', pattern: at(`${CALL}/faults`), handler: (req) => ({ status: 200, body: { faults: setCallFaults(ctx, id(req), faultsBody(req.body)) } }) },
    { method: 'DELETE', pattern: at(`${CALL}/faults`), handler: (req) => ({ status: 200, body: { faults: setCallFaults(ctx, id(req), null) } }) },
    {
      method: 'GET',
      pattern: at('^/_emulator/deliveries'),
      handler: (req) => {
        const { callId, since, limit } = deliveriesQuery(req.query);
        const matching = parts.deliverer.log.filter((d) => d.seq > since && (callId === undefined || d.callId === callId));
        return { status: 200, body: { deliveries: matching.slice(0, limit).map((d) => deliverySnapshot(d)) } };
      },
    },
    {
      method: 'GET',
      pattern: at('^/_emulator/events'),
      handler: () => ({ status: 200, stream: (res) => parts.events.connect(res, { appId: ctx.options.appId, tenantId: ctx.options.tenantId, baseUrl: ctx.baseUrl }) }),
    },
  ];
}
