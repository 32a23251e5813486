import { randomUUID } from 'node:crypto';
import type { Client } from '@microsoft/microsoft-graph-client';
import { GraphCommsError } from '../errors.js';
import type { InvitationParticipantInfo } from '../model/graph.js';
import { canonicalId, unsafePathSegment } from '../model/ids.js';
import { asResultInfo, isRecord } from '../model/json.js';
import { ACTIONS, actionPath, type ActionDescriptor, type ActionName, type ActionRequests } from '../operations/actions.js';
import { shapeRequest } from '../operations/body-shapes.js';
import type { Logger } from '../logger.js';
import { logGraphFailure } from '../logging/graph-failure.js';
import { sendGraphRequest, type GraphAnswer, type GraphRequest, type GraphVersion } from '../operations/graph-request.js';
import type { OperationOf } from '../operations/operation.js';
import type { OperationKind } from '../operations/resources.js';
import { refuseRequest, type Refuse } from '../operations/rules.js';
import { contextKey, emptyCallRecord } from '../state/call-record.js';
import { discardTransfer, startTransfer } from '../state/transfer.js';
import type { CreateCallRequest, TransferRequest } from '../operations/requests.js';
import type { Transfer } from '../operations/operation.js';
import { transferKey, type TransferWaits } from './transfer-waits.js';
import { applyOperationResponse, discardOperation, recordOperation } from '../state/sent-operations.js';
import { normalizeStatus } from '../text/case.js';
import type { Engine } from './engine.js';

/** Which call, and which participant for participant actions. */
export interface ActionTarget {
  callId: string;
  participantId?: string;
}

/**
 * Sends every Graph action the same way, from its descriptor: the documented rules checked
 * first, then for operations the pending record under its clientContext before the request (so
 * a callback overtaking the answer is still correlated), then Graph's answer applied.
 */
export class OperationSender {
  /** Told of every action Graph accepted (answer, reject, redirect... ): the incoming-call watch listens. */
  onAccepted: ((action: ActionName, callId: string) => void) | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly client: Client | undefined,
    private readonly version: GraphVersion,
    private readonly operationTimeoutMs: number,
    private readonly callbackUri: string | undefined,
    private readonly transfers: TransferWaits,
    private readonly logger: Logger,
  ) {}

  /** Sends an action that answers no operation; resolves with Graph's answer once it accepted it. */
  async perform(action: Exclude<ActionName, OperationKind>, target: ActionTarget, request?: object): Promise<GraphAnswer> {
    const { descriptor, body, client } = this.#prepare(action, target, request);
    const answer = await this.#send(client, action, target, { method: descriptor.method, path: actionPath(descriptor, target.callId, target.participantId), ...(descriptor.body ? { body } : {}) });
    this.onAccepted?.(action, target.callId);
    return answer;
  }

  /** Checks an action's request as `perform` would, without sending it. */
  check(action: ActionName, target: ActionTarget, request?: object): void {
    this.#prepare(action, target, request);
  }

  /** Starts an operation; resolves with it once Graph accepted it. */
  async start<K extends OperationKind>(kind: K, target: ActionTarget, request?: ActionRequests[K]): Promise<OperationOf<K>> {
    const { descriptor, body, client, refuse } = this.#prepare(kind, target, request);
    const { callId } = target;
    const clientContext = typeof body['clientContext'] === 'string' ? body['clientContext'] : randomUUID();
    const participants = Array.isArray(body['participants']) ? (body['participants'] as InvitationParticipantInfo[]) : undefined;
    const { store, registry } = this.engine;
    // The claim outlives the timeout a little, so a late callback still finds the operation.
    // Claims name the call in its canonical form, so that either form of its id releases them.
    if (!(await store.reserveClientContext(clientContext, canonicalId(callId), this.operationTimeoutMs + 60_000))) {
      throw refuse('clientContext', 'pending', `clientContext ${JSON.stringify(clientContext)} belongs to an operation that is still pending`);
    }
    const operation = registry.create(kind, callId, clientContext, participants);
    try {
      // Its timeout is an effect of recording it, so that it is kept (in the store's deadlines)
      // even if this process dies before the request goes out.
      await this.engine.commit(callId, (record, env) => {
        const next = recordOperation(record ?? emptyCallRecord(callId, env.now), { kind, clientContext, ...(participants ? { participants } : {}) }, env);
        const op = next.operations[next.operations.length - 1]!;
        return { record: next, effects: [{ type: 'operationPending', callId, operation: op }], value: undefined };
      });
    } catch (error) {
      await this.#abandon(callId, clientContext, false);
      throw error;
    }

    let answer: GraphAnswer;
    try {
      answer = await this.#send(client, kind, target, { method: descriptor.method, path: actionPath(descriptor, callId, target.participantId), body: { ...body, clientContext } });
    } catch (error) {
      await this.#abandon(callId, clientContext, true);
      throw error;
    }
    const status = normalizeStatus(answer.operation.status);
    const listed = Array.isArray(answer.operation.participants) ? answer.operation.participants : undefined;
    // A status Graph does not document (or none) reads as running: only a final one settles it.
    registry.answered(callId, clientContext, answer.id, status ?? 'running', listed);
    await this.engine
      .commit(callId, (record, env) => {
        if (!record) return { record, effects: [], value: undefined };
        return { ...applyOperationResponse(record, clientContext, { id: answer.id, status, operation: answer.operation }, env), value: undefined };
      })
      .catch(async () => {
        // Reported on `error`. A pending answer is still correlated by its clientContext; a final
        // one gets no callback, so it is settled from the answer itself.
        if (status !== 'completed' && status !== 'failed') return;
        const resultInfo = asResultInfo(answer.operation.resultInfo);
        registry.resolveRemote(callId, clientContext, { status, operation: answer.operation, ...(resultInfo ? { resultInfo } : {}) });
        this.engine.unwatch(callId, contextKey(clientContext));
        await store.releaseClientContext(clientContext, canonicalId(callId)).catch(() => undefined);
      });
    return operation as OperationOf<K>;
  }

  // Every request goes out here, so that each refusal is logged once. Not keepAlive's: its
  // schedule logs them, and knows that a 404 there is the call's end rather than a failure.
  async #send(client: Client, action: ActionName, target: ActionTarget, request: GraphRequest): Promise<GraphAnswer> {
    try {
      return await this.engine.telemetry.graphRequest(action, () => sendGraphRequest(client, this.version, request));
    } catch (error) {
      if (action !== 'keepAlive') logGraphFailure(this.logger, { action, ...target }, error);
      throw error;
    }
  }

  #prepare(action: ActionName, target: ActionTarget, request: object | undefined): { descriptor: ActionDescriptor; body: Record<string, unknown>; client: Client; refuse: Refuse } {
    const descriptor = ACTIONS[action];
    const refuse = descriptor.refuse ?? refuseRequest(action);
    const unsafeCall = descriptor.scope === 'calls' ? undefined : unsafePathSegment(target.callId);
    if (unsafeCall) throw refuse('callId', 'invalid', `callId ${unsafeCall}`);
    if (descriptor.scope === 'participant') {
      const unsafeParticipant = unsafePathSegment(target.participantId);
      if (unsafeParticipant) throw refuse('participantId', 'invalid', `participantId ${unsafeParticipant}`);
    }
    const given = request ?? {};
    if (!isRecord(given)) throw refuse('request', 'invalid', 'the request must be an object');
    const sent = shapeRequest(action, given, refuse.key);
    for (const check of descriptor.checks) check(given, refuse);
    const body = this.#completed(descriptor, sent, refuse);
    if (!this.client) throw new GraphCommsError('graph_client_missing', `${action}() needs the graphClient option (a @microsoft/microsoft-graph-client Client)`);
    return { descriptor, body, client: this.client, refuse };
  }

  // The body as sent: the request's own fields, then the defaults and the bot's callbackUri where it left them out.
  #completed(descriptor: ActionDescriptor, given: Record<string, unknown>, refuse: Refuse): Record<string, unknown> {
    if (!descriptor.defaults && !descriptor.callbackUri) return given;
    const body: Record<string, unknown> = { ...descriptor.defaults, ...given };
    for (const key of Object.keys(body)) if (body[key] === undefined && descriptor.defaults?.[key] !== undefined) body[key] = descriptor.defaults[key];
    if (descriptor.callbackUri && body['callbackUri'] === undefined) {
      if (this.callbackUri !== undefined) body['callbackUri'] = this.callbackUri;
      else if (descriptor.callbackUri === 'required') throw refuse('callbackUri', 'missing', 'needs a callbackUri: set the bot\'s callbackUri option, or pass one');
    }
    return body;
  }

  /** Requests a transfer; its completion follows the call's states (there is no operation). */
  async transfer(callId: string, request: TransferRequest): Promise<Transfer> {
    this.check('transfer', { callId }, request);
    const token = randomUUID();
    // Awaited from before the write: the transfer may end before the commit resolves.
    const completion = this.transfers.create(callId, token);
    const started = await this.engine.commit(callId, (record, env) => {
      const current = record ?? emptyCallRecord(callId, env.now);
      if (current.transfer && current.transfer.deadline > env.now) return { record: undefined, effects: [], value: undefined };
      const next = startTransfer(current, token, env);
      return { record: next, effects: [{ type: 'transferPending', callId, transfer: next.transfer! }], value: next.transfer };
    }).catch((error: unknown) => {
      this.transfers.drop(callId, token);
      throw error;
    });
    if (!started) {
      this.transfers.drop(callId, token);
      throw refuseRequest('transfer')('transfer', 'pending', 'a transfer of this call is still under way');
    }
    try {
      await this.perform('transfer', { callId }, request);
    } catch (error) {
      this.transfers.drop(callId, token);
      this.engine.unwatch(callId, transferKey(token));
      await this.engine.commit(callId, (record, env) => ({ record: record && discardTransfer(record, token, env.now), effects: [], value: undefined })).catch(() => undefined);
      throw error;
    }
    return { callId, completion };
  }

  /** Places a call (`POST /communications/calls`); resolves with the id Graph gave it. */
  async createCall(request: CreateCallRequest): Promise<string> {
    const answer = await this.perform('createCall', { callId: '' }, request);
    if (!answer.id) throw new GraphCommsError('graph_answer_invalid', 'Graph accepted the call but named no call id (neither in the body nor in Location)');
    return answer.id;
  }

  // Graph refused the request (or it was never sent): nothing will answer it.
  async #abandon(callId: string, clientContext: string, recorded: boolean): Promise<void> {
    const { store, registry } = this.engine;
    registry.drop(callId, clientContext);
    this.engine.unwatch(callId, contextKey(clientContext));
    if (recorded) {
      await this.engine.commit(callId, (record, env) => ({ record: record && discardOperation(record, clientContext, env.now), effects: [], value: undefined })).catch(() => undefined);
    }
    await store.releaseClientContext(clientContext, canonicalId(callId)).catch(() => undefined);
  }
}
