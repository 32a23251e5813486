import { randomUUID } from 'node:crypto';
import type { Client } from '@microsoft/microsoft-graph-client';
import { GraphCommsError, InviteValidationError } from '../errors.js';
import type { Invitation, InviteRequest } from '../events/invitation.js';
import { sendInvite, type GraphVersion, type InviteResponse } from '../invite/send-invite.js';
import { validateInvite } from '../invite/validate-invite.js';
import { contextKey, emptyCallRecord, operationAt } from '../state/call-record.js';
import { applyInviteResponse, discardInvite, recordInvite } from '../state/invite-steps.js';
import { normalizeStatus } from '../text/case.js';
import type { Engine } from './engine.js';

/**
 * `bot.invite()`: validate, record the pending operation under its clientContext, send, then
 * learn the operation id. The record comes first so that a callback overtaking the HTTP answer
 * is still correlated.
 */
export class Inviter {
  constructor(
    private readonly engine: Engine,
    private readonly client: Client | undefined,
    private readonly version: GraphVersion,
    private readonly operationTimeoutMs: number,
  ) {}

  async invite(callId: string, request: InviteRequest): Promise<Invitation> {
    validateInvite(callId, request);
    if (!this.client) throw new GraphCommsError('graph_client_missing', 'invite() needs the graphClient option (a @microsoft/microsoft-graph-client Client)');
    const participants = request.participants;
    const clientContext = request.clientContext ?? randomUUID();
    const { store, registry } = this.engine;
    // The claim outlives the timeout a little, so a late callback still finds the operation.
    if (!(await store.reserveClientContext(clientContext, callId, this.operationTimeoutMs + 60_000))) {
      throw new InviteValidationError('clientContext.pending', `clientContext ${JSON.stringify(clientContext)} belongs to an operation that is still pending`);
    }
    const invitation = registry.create(callId, clientContext, participants);
    try {
      await this.engine.commit(callId, (record, env) => {
        const next = recordInvite(record ?? emptyCallRecord(callId, env.now), clientContext, participants, env);
        return { record: next, effects: [], value: operationAt(next, contextKey(clientContext)) };
      }).then((op) => op && this.engine.watch(callId, op));
    } catch (error) {
      await this.#abandon(callId, clientContext, false);
      throw error;
    }

    let response: InviteResponse;
    try {
      response = await sendInvite(this.client, this.version, callId, { participants, clientContext });
    } catch (error) {
      await this.#abandon(callId, clientContext, true);
      throw error;
    }

    const status = normalizeStatus(response.operation.status);
    if (invitation.id === null) invitation.id = response.id;
    invitation.status = status ?? (typeof response.operation.status === 'string' ? response.operation.status : 'running');
    if (Array.isArray(response.operation.participants) && response.operation.participants.length > 0) {
      invitation.participants = response.operation.participants;
    }
    await this.engine
      .commit(callId, (record, env) => {
        if (!record) return { record, effects: [], value: undefined };
        const step = applyInviteResponse(record, clientContext, { id: response.id, status, operation: response.operation }, env);
        return { record: step.record, effects: step.effects, value: undefined };
      })
      .catch(() => undefined); // reported on `error`; the clientContext still correlates the outcome
    return invitation;
  }

  // Graph refused the invite (or it was never sent): nothing will answer it.
  async #abandon(callId: string, clientContext: string, recorded: boolean): Promise<void> {
    const { store, registry, timers } = this.engine;
    registry.drop(clientContext);
    timers.cancel(callId, contextKey(clientContext));
    if (recorded) {
      await this.engine
        .commit(callId, (record, env) => ({ record: record && discardInvite(record, clientContext, env.now), effects: [], value: undefined }))
        .catch(() => undefined);
    }
    await store.releaseClientContext(clientContext, callId).catch(() => undefined);
  }
}
