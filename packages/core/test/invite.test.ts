import { describe, it, expect, afterEach, jest } from '@jest/globals';
import { GraphRequestError, InviteValidationError, type InvitationParticipantInfo } from '@graph-comms/core';
import { FakeGraph, type Received } from '../../../test/helpers/fake-graph.js';
import { botsWithFakeGraph } from '../../../test/helpers/bots.js';
import { EXAMPLES, seed } from '../../../test/helpers/fixtures.js';
import { recordEvents } from '../../../test/helpers/recorder.js';

const CALL = 'ab6233a5-20b7-4c5e-bea2-ce56c9776429';
const CTX = 'f2fa86af-3c51-4bc2-8fc0-475452d9764f';
const user = (id: string): InvitationParticipantInfo => ({ identity: { user: { id, identityProvider: 'AAD' } } });

const suite = botsWithFakeGraph();
const newBot = suite.newBot;
afterEach(() => {
  jest.useRealTimers();
});

const answerWith = (example: (typeof EXAMPLES)[number], headers: Record<string, string> = {}) => () => ({ status: 200, headers, body: seed(example, 'response') });

describe('invite through the real Graph client', () => {
  it.each([
    ['ex1-invite-one', 'eec3812a-fdc3-4fb4-825c-a06c9f35414e'],
    ['ex3-replace-p2p', '278405a3-f568-4b3e-b684-009193463064'],
    ['ex4-invite-phone', 'eec3812a-fdc3-4fb4-825c-a06c9f35414e'],
    ['ex5-move-participant', '278405a3-f568-4b3e-b684-009193463064'],
  ] as const)('sends the seed request of %s and returns a running invitation', async (example, operationId) => {
    const bot = newBot();
    suite.graph.script = answerWith(example);
    const request = seed(example, 'request');
    const invitation = await bot.invite(CALL, request);
    expect(suite.graph.received).toHaveLength(1);
    const sent = suite.graph.received[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe(`/v1.0/communications/calls/${CALL}/participants/invite`);
    expect(sent.body).toEqual(request);
    expect(invitation).toMatchObject({ callId: CALL, id: operationId, clientContext: CTX, status: 'running' });
    expect(invitation.participants).toEqual(seed(example, 'response').participants);
    const op = (await bot.getCall(CALL))!.operations.find((o) => o.key === `c:${CTX}`)!;
    expect(op).toMatchObject({ id: operationId, status: 'running', kind: 'invite', sent: true });
  });

  it('refuses seed example 2 as written (two participants with replacesCallId) and accepts it without replacesCallId', async () => {
    const bot = newBot();
    const request = seed('ex2-invite-several', 'request');
    await expect(bot.invite(CALL, request)).rejects.toMatchObject({ rule: 'replace.singleParticipant', participantIndex: 0 });
    expect(suite.graph.received).toHaveLength(0);
    for (const p of request.participants) delete p.replacesCallId;
    suite.graph.script = answerWith('ex2-invite-several');
    const invitation = await bot.invite('7531d31f-d10d-44de-802f-c569dbca451c', request);
    expect(invitation.participants).toHaveLength(2);
  });

  it('correlates the seed callbacks with the invitation and resolves its completion', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    suite.graph.script = answerWith('ex1-invite-one');
    const request = seed('ex1-invite-one', 'request');
    delete request.participants[0].replacesCallId; // example 1 is "invite one participant"
    const invitation = await bot.invite(CALL, request);
    await bot.processNotifications(seed('ex1-invite-one', 'notification-roster'));
    await bot.processNotifications(seed('ex1-invite-one', 'notification-operation'));
    await expect(invitation.completion).resolves.toMatchObject({ status: 'completed', operation: { id: invitation.id } });
    const [completed] = rec.of('operationCompleted');
    expect(completed!.invitation).toBe(invitation);
    const [roster] = rec.of('rosterUpdated');
    expect(roster!.joined).toHaveLength(1);
    expect(roster!.joined[0]!.invitation).toBe(invitation);
  });

  it('generates a UUID clientContext when none is given, and sends it', async () => {
    const bot = newBot();
    suite.graph.script = (req: Received) => ({ status: 200, body: { id: 'op-1', status: 'Running', clientContext: (req.body as { clientContext: string }).clientContext } });
    const a = await bot.invite(CALL, { participants: [user('u1')] });
    const b = await bot.invite(CALL, { participants: [user('u2')] });
    expect(a.clientContext).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.clientContext).not.toBe(b.clientContext);
    expect((suite.graph.received[0]!.body as { clientContext: string }).clientContext).toBe(a.clientContext);
  });

  it('takes the operation id from the Location header when the body has none', async () => {
    const bot = newBot();
    suite.graph.script = () => ({ status: 200, headers: { location: `https://graph.microsoft.com/v1.0/communications/calls/${CALL}/operations/op-from-location` }, body: { status: 'Running', clientContext: CTX } });
    const invitation = await bot.invite(CALL, { participants: [user('u1')], clientContext: CTX });
    expect(invitation.id).toBe('op-from-location');
  });

  it('unwraps an operation that an older page wraps in value (seed 000)', async () => {
    const bot = newBot();
    suite.graph.script = () => ({ status: 200, body: { value: { '@odata.type': '#microsoft.graph.inviteParticipantsOperation', id: 'wrapped', status: 'Running', clientContext: CTX } } });
    expect((await bot.invite(CALL, { participants: [user('u1')], clientContext: CTX })).id).toBe('wrapped');
  });

  it('uses the beta endpoint when asked', async () => {
    const bot = newBot({ graphVersion: 'beta' });
    suite.graph.script = answerWith('ex4-invite-phone');
    await bot.invite(CALL, seed('ex4-invite-phone', 'request'));
    expect(suite.graph.received[0]!.path).toBe(`/beta/communications/calls/${CALL}/participants/invite`);
  });

  it('records the pending operation before sending, so a callback that overtakes the response is correlated', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    suite.graph.script = async () => {
      // Graph's callback arrives while the invite is still waiting for its answer.
      await bot.processNotifications(seed('ex1-invite-one', 'notification-operation'));
      return { status: 200, body: seed('ex1-invite-one', 'response') };
    };
    const invitation = await bot.invite(CALL, { participants: [user('278405a3-f568-4b3e-b684-009193463064')], clientContext: CTX });
    const [completed] = rec.of('operationCompleted');
    expect(completed!.invitation).toBe(invitation);
    expect(invitation.id).toBe('eec3812a-fdc3-4fb4-825c-a06c9f35414e');
    await expect(invitation.completion).resolves.toMatchObject({ status: 'completed' });
    // The running response that came after the outcome does not reopen the operation.
    expect((await bot.getCall(CALL))!.operations.find((o) => o.key === `c:${CTX}`)!.status).toBe('completed');
  });

  it.each([
    ['completed', 'operationCompleted'],
    ['Failed', 'operationFailed'],
  ] as const)('treats a response that is already %s as final at once', async (status, event) => {
    const bot = newBot();
    const rec = recordEvents(bot);
    suite.graph.script = () => ({ status: 200, body: { id: 'op-final', status, clientContext: CTX, resultInfo: status === 'Failed' ? { code: 400, subcode: 1, message: 'no' } : null } });
    const invitation = await bot.invite(CALL, { participants: [user('u1')], clientContext: CTX });
    await expect(invitation.completion).resolves.toMatchObject({ status: status.toLowerCase() });
    expect(rec.names()).toEqual([event]);
    // The clientContext is free again at once.
    suite.graph.script = () => ({ status: 200, body: { id: 'op-2', status: 'Running', clientContext: CTX } });
    await expect(bot.invite(CALL, { participants: [user('u1')], clientContext: CTX })).resolves.toMatchObject({ id: 'op-2' });
  });

  it('refuses a clientContext that a pending operation holds, without an HTTP call', async () => {
    const bot = newBot();
    suite.graph.script = answerWith('ex4-invite-phone');
    await bot.invite(CALL, seed('ex4-invite-phone', 'request'));
    const error = await bot.invite('another-call', { participants: [user('u9')], clientContext: CTX }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InviteValidationError);
    expect(error).toMatchObject({ rule: 'clientContext.pending', code: 'invite_invalid' });
    expect(suite.graph.received).toHaveLength(1);
  });

  it('rejects with Graph status, code and message on a non-2xx answer, and frees the clientContext', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    suite.graph.script = () => ({ status: 403, headers: { 'request-id': 'req-42' }, body: { error: { code: 'Forbidden', message: 'Application does not have permission' } } });
    const error = await bot.invite(CALL, { participants: [user('u1')], clientContext: CTX }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ status: 403, graphCode: 'Forbidden', graphMessage: 'Application does not have permission', requestId: 'req-42', code: 'graph_error' });
    expect(String((error as Error).message)).toContain('403');
    expect((await bot.getCall(CALL))!.operations).toEqual([]);
    suite.graph.script = answerWith('ex1-invite-one');
    await expect(bot.invite(CALL, { participants: [user('u1')], clientContext: CTX })).resolves.toMatchObject({ clientContext: CTX });
    expect(rec.events).toHaveLength(0);
  });

  it('sends the same clientContext again when the Graph client retries a 429', async () => {
    const bot = newBot();
    let calls = 0;
    suite.graph.script = () => (++calls === 1 ? { status: 429, headers: { 'retry-after': '0' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } } : { status: 200, body: seed('ex1-invite-one', 'response') });
    const invitation = await bot.invite(CALL, { participants: [user('u1')], clientContext: CTX });
    expect(suite.graph.received.map((r) => (r.body as { clientContext: string }).clientContext)).toEqual([CTX, CTX]);
    expect(invitation.id).toBe('eec3812a-fdc3-4fb4-825c-a06c9f35414e');
  });

  it('rejects with status 0 when Graph cannot be reached, and frees the clientContext', async () => {
    const closed = await FakeGraph.start();
    const client = closed.client();
    await closed.close();
    const bot = newBot({ graphClient: client });
    const error = await bot.invite(CALL, { participants: [user('u1')], clientContext: CTX }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, code: 'graph_unreachable' });
    expect(await bot.store.reserveClientContext(CTX, CALL, 1000)).toBe(true);
    expect((await bot.getCall(CALL))!.operations).toEqual([]);
  });

  it('times out an invitation nobody answers: operationFailed(timedOut) and completion timedOut', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const bot = newBot({ operationTimeoutMs: 60_000 });
    const rec = recordEvents(bot);
    suite.graph.script = answerWith('ex1-invite-one');
    const invitation = await bot.invite(CALL, { participants: [user('u1')], clientContext: CTX });
    await jest.advanceTimersByTimeAsync(59_000);
    expect(rec.of('operationFailed')).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(invitation.completion).resolves.toEqual({ status: 'timedOut' });
    expect(rec.of('operationFailed')).toEqual([expect.objectContaining({ reason: 'timedOut', invitation, clientContext: CTX, operationId: invitation.id })]);
    // Timed out is final, and the clientContext is free again.
    await bot.processNotifications(seed('ex1-invite-one', 'notification-operation'));
    expect(rec.of('operationCompleted')).toHaveLength(0);
    expect(await bot.store.reserveClientContext(CTX, CALL, 1000)).toBe(true);
  });

  it('needs a graph client to invite', async () => {
    const bot = newBot({ graphClient: undefined });
    await expect(bot.invite(CALL, { participants: [user('u1')] })).rejects.toMatchObject({ code: 'graph_client_missing' });
  });
});
