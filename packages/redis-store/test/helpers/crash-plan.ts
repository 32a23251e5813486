import type { CallRecord } from '@graph-comms/core';
import { readFileSync } from 'node:fs';
import type { Received, Answer } from '../../../../test/helpers/fake-graph.js';
import { graphDoc } from '../../../../test/helpers/fixtures.js';
import { inviteResponse, operationNotification, rosterNotification, type PlannedInvite } from './payloads.js';

/** One crash case: its own call, the invite another process awaits, and the playPrompt that times out. */
export interface CrashPlan {
  callId: string;
  invite: PlannedInvite;
  promptContext: string;
  promptOperationId: string;
}

/** The plan of case `n` (ids in canonical form, as the engine keys calls). */
export function crashPlan(n: number): CrashPlan {
  const callId = `c4a5e000-0000-4000-8000-00000000000${n}`;
  return { callId, invite: { callId, user: `crash-user-${n}`, clientContext: `crash-invite-${n}`, operationId: `crash-op-${n}` }, promptContext: `crash-prompt-${n}`, promptOperationId: `crash-prompt-op-${n}` };
}

/** The documented playPrompt request, with this plan's clientContext. */
export function promptRequest(plan: CrashPlan) {
  return { ...graphDoc('playPrompt', 'ex1-play-prompt.request.json'), clientContext: plan.promptContext };
}

/**
 * Graph's completion callback of the invite and, in the same body, the roster that lists its
 * invitee: committed one after the other, so that a process dying on the first never commits the second.
 */
export function completionBody(plan: CrashPlan) {
  const body = operationNotification(plan.invite);
  body.value.push(...rosterNotification(plan.callId, [plan.invite.user]).value);
  return body;
}

/** The fake Graph's answers: invites and playPrompts of the plans are accepted, running; anything else is refused. */
export function graphScript(plans: CrashPlan[]): (request: Received) => Answer {
  return (request) => {
    const body = request.body as { clientContext?: string; participants?: unknown[] } | undefined;
    const plan = plans.find((p) => request.path.includes(p.callId));
    if (plan && request.path.endsWith('/participants/invite') && body?.clientContext === plan.invite.clientContext) {
      return { status: 200, body: inviteResponse({ clientContext: plan.invite.clientContext, participants: body.participants ?? [] }, plan.invite.operationId) };
    }
    if (plan && request.path.endsWith('/playPrompt') && body?.clientContext === plan.promptContext) {
      return { status: 200, body: { ...graphDoc('playPrompt', 'ex1-play-prompt.response.json'), id: plan.promptOperationId, clientContext: plan.promptContext } };
    }
    return { status: 404, body: { error: { code: 'notScripted', message: `${request.method} ${request.path}` } } };
  };
}

/** One entry of a call's outbox (CallRecord.outbox). */
export type OutboxEntry = NonNullable<CallRecord['outbox']>[number];

/** The outbox entries that the crashing store wrote in its last write, from the report it left. */
export function crashReport(path: string): OutboxEntry[] {
  return JSON.parse(readFileSync(path, 'utf8')) as OutboxEntry[];
}
