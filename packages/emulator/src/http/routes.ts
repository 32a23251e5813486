import { JWKS_PATH, OPENID_CONFIGURATION_PATH, openIdConfiguration } from '../auth/openid.js';
import type { KeyRing } from '../auth/keys.js';
import { parseCreateCall } from '../calls/create.js';
import { actionOperationResponse } from '../actions/operation.js';
import { hangUp, removeParticipant } from '../actions/deletes.js';
import { actionRoutes } from '../actions/routes.js';
import { openCall } from '../calls/open.js';
import type { CallRecord, OperationRecord } from '../calls/registry.js';
import { callResource, participantResource } from '../calls/resources.js';
import type { EmulatorContext } from '../context.js';
import { recordingRoutes } from '../recordings/routes.js';
import { handleInvite } from '../invite/invite.js';
import { operationResponse } from '../invite/operation.js';
import { ACTIVE_STATES } from '../actions/descriptor.js';
import { badRequest, itemNotFound } from './errors.js';
import type { HttpResult, RequestContext, Route } from './server.js';
import { scriptedError, settled } from '../operations/flow.js';

// Both API versions, and the deprecated /app/calls path next to /communications/calls.
const CALLS = String.raw`^/(?<version>v1\.0|beta)/(?:communications|app)/calls`;
const CALL = String.raw`${CALLS}/(?<callId>[^/]+)`;

/** The emulator's HTTP API. */
export function routes(ctx: EmulatorContext, keys: KeyRing): Route[] {
  const live = (req: RequestContext): CallRecord => {
    const id = param(req, 'callId');
    const call = ctx.registry.live(id);
    if (call === undefined) throw itemNotFound(`Call ${id} was not found or has ended.`);
    return call;
  };
  return [
    { method: 'GET', pattern: exact(OPENID_CONFIGURATION_PATH), handler: () => ({ status: 200, body: openIdConfiguration(ctx.baseUrl, ctx.options.issuer) }) },
    { method: 'GET', pattern: exact(JWKS_PATH), handler: () => ({ status: 200, body: keys.jwks() }) },
    { method: 'POST', pattern: new RegExp(`${CALLS}/?$`), handler: (req) => createCall(ctx, param(req, 'version'), req.body) },
    { method: 'GET', pattern: new RegExp(`${CALL}$`), handler: (req) => ({ status: 200, body: callResource(live(req)) }) },
    { method: 'DELETE', pattern: new RegExp(`${CALL}$`), handler: (req) => hangUp(ctx, live(req)) },
    {
      method: 'GET',
      pattern: new RegExp(`${CALL}/participants$`),
      handler: (req) => ({ status: 200, body: { value: [...live(req).participants.values()].map((p) => participantResource(p)) } }),
    },
    {
      method: 'POST',
      pattern: new RegExp(`${CALL}/participants/invite$`),
      handler: (req) => {
        // As for every other call action: not before the call is answered, nor while it ends.
        const call = live(req);
        if (call.state === 'terminating') throw itemNotFound(`Call ${call.id} was not found or has ended.`);
        if (!ACTIVE_STATES.includes(call.state)) throw badRequest(`participants/invite is not allowed on a call in state ${call.state}.`);
        return handleInvite(ctx, param(req, 'version'), call, req.body);
      },
    },
    {
      method: 'GET',
      pattern: new RegExp(`${CALL}/participants/(?<participantId>[^/]+)$`),
      handler: (req) => {
        const participant = live(req).participants.get(param(req, 'participantId'));
        if (participant === undefined) throw itemNotFound(`Participant ${param(req, 'participantId')} is not in the call.`);
        return { status: 200, body: participantResource(participant) };
      },
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`${CALL}/participants/(?<participantId>[^/]+)$`),
      handler: (req) => removeParticipant(ctx, live(req), param(req, 'participantId')),
    },
    {
      method: 'GET',
      pattern: new RegExp(`${CALL}/operations/(?<operationId>[^/]+)$`),
      handler: (req) => {
        const call = live(req);
        const op = call.operations.get(param(req, 'operationId'));
        if (op === undefined) throw itemNotFound(`Operation ${param(req, 'operationId')} was not found.`);
        return { status: 200, body: operationBody(op, call) };
      },
    },
    ...actionRoutes(ctx, { callPattern: CALL, live, param }),
    ...recordingRoutes(ctx),
  ];
}

/**
 * `POST /communications/calls`: 201 with `Location` and the call in `establishing`;
 * the callee then does what the next `nextCall` script says (with `overtake`, the
 * first callbacks are delivered before the 201).
 */
async function createCall(ctx: EmulatorContext, version: string, body: unknown): Promise<HttpResult> {
  const script = ctx.faults.takeCall();
  if (script.httpError !== undefined) throw scriptedError(script.httpError, 'create call');
  const { call, first } = openCall(ctx, parseCreateCall(body, ctx.options), true, script);
  const result = { status: 201, headers: { Location: new URL(`${version}/communications/calls/${call.id}`, ctx.baseUrl).toString() }, body: callResource(call) };
  await settled(ctx, script.overtake, first);
  return result;
}

function operationBody(op: OperationRecord, call: CallRecord): Record<string, unknown> {
  return op.action === 'invite' ? operationResponse(op, call.tenantId, op.status) : actionOperationResponse(op);
}

function exact(path: string): RegExp {
  return new RegExp(`^${path.replaceAll('.', String.raw`\.`)}$`);
}

/** A path parameter (already percent-decoded by the server). */
function param(req: RequestContext, name: string): string {
  return req.params[name] ?? '';
}
