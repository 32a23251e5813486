import { describe, it, expect, afterEach } from '@jest/globals';
import { GraphRequestError, MemoryCallStore, type CallRecord, type InvitationParticipantInfo, type Step } from '@graph-comms/core';
import type { InviteScript } from '@graph-comms/emulator';
import { startStack, type Stack } from '../helpers/stack.js';

const user = (id: string): InvitationParticipantInfo => ({ identity: { user: { id } } });
let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** Invites two users into a fresh group call under `script`, waits for everything, returns what happened. */
async function inviteUnder(script: InviteScript) {
  stack = await startStack();
  const { emulator, bot, rec, callbackUri } = stack;
  const call = emulator.createCall({ callbackUri, kind: 'group' });
  emulator.faults.nextInvite(script);
  const invitation = await bot.invite(call.id, { participants: [user('u-1'), user('u-2')] });
  const outcome = await invitation.completion;
  await emulator.idle();
  return { call, invitation, outcome, rec, emulator, bot };
}

describe('end to end under every fault the emulator injects: each event once, correlated', () => {
  it.each<[string, InviteScript]>([
    ['duplicate deliveries', { duplicate: true }],
    ['PascalCase change types and statuses', { pascalCase: true }],
    ['the outcome before the roster', { order: 'operationFirst' }],
    ['shuffled callbacks', { order: 'shuffled' }],
    ['callbacks that overtake the invite response', { overtake: true }],
    ['a null operation id on .../operations/participants', { nullOperationId: true }],
    ['the roster on .../operations/participants', { rosterOnOperationsPath: true }],
    ['participants without ids', { nullParticipantIds: true }],
    ['latency on callbacks', { latencyMs: 30 }],
    ['everything at once', { duplicate: true, pascalCase: true, order: 'shuffled', nullOperationId: true, rosterOnOperationsPath: true, nullParticipantIds: true }],
  ])('%s', async (_name, script) => {
    const { invitation, outcome, rec, emulator } = await inviteUnder(script);
    expect(outcome.status).toBe('completed');
    expect(rec.of('operationCompleted')).toHaveLength(1);
    const [completed] = rec.of('operationCompleted');
    expect(completed!.invitation).toBe(invitation);
    expect(completed!.clientContext).toBe(invitation.clientContext);
    expect(completed!.operationId).toBe(invitation.id);
    const rosters = rec.of('rosterUpdated');
    expect(rosters).toHaveLength(1);
    // The very object invite() returned, even when the roster comes after the outcome.
    expect(rosters[0]!.joined.map((j) => j.invitation === invitation)).toEqual([true, true]);
    expect(rec.errors).toEqual([]);
    expect(emulator.deliveries.every((d) => d.status === 202)).toBe(true);
  });

  it('an operation that fails with resultInfo: operationFailed once, nobody joins', async () => {
    const resultInfo = { code: 412, subcode: 9999, message: 'DiagCode: 412#10073' };
    const { invitation, outcome, rec } = await inviteUnder({ fail: resultInfo });
    expect(outcome).toMatchObject({ status: 'failed', resultInfo });
    expect(rec.of('operationFailed')).toEqual([expect.objectContaining({ reason: 'failed', resultInfo: expect.objectContaining(resultInfo), invitation })]);
    expect(rec.of('operationCompleted')).toHaveLength(0);
    expect(rec.of('rosterUpdated').flatMap((e) => e.joined)).toHaveLength(0);
  });

  it('a response that is already completed: final at once, the roster still correlates', async () => {
    const { invitation, rec } = await inviteUnder({ completeInResponse: true });
    expect(invitation.status).toBe('completed');
    expect(rec.of('operationCompleted')).toHaveLength(1);
    expect(rec.of('rosterUpdated')[0]!.joined).toHaveLength(2);
  });

  it('an HTTP error answer: GraphRequestError with status, Graph code and message; no events', async () => {
    stack = await startStack();
    const { emulator, bot, rec, callbackUri } = stack;
    const call = emulator.createCall({ callbackUri, kind: 'group' });
    emulator.faults.nextInvite({ httpError: { status: 403, code: 'Forbidden', message: 'Application is not allowed' } });
    const error = await bot.invite(call.id, { participants: [user('u-1')], clientContext: 'ctx-403' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ status: 403, graphCode: 'Forbidden', graphMessage: 'Application is not allowed' });
    await emulator.idle();
    expect(rec.events).toHaveLength(0);
    // The clientContext is free again.
    await expect(bot.invite(call.id, { participants: [user('u-1')], clientContext: 'ctx-403' }).then((i) => i.completion)).resolves.toMatchObject({ status: 'completed' });
  });

  it('a 429 with Retry-After: the Graph client re-sends the same invite, and it completes once', async () => {
    const { outcome, rec, emulator } = await inviteUnder({ httpError: { status: 429, retryAfterSeconds: 0 } });
    expect(outcome.status).toBe('completed');
    expect(rec.of('operationCompleted')).toHaveLength(1);
    expect(emulator.getCall(rec.of('operationCompleted')[0]!.callId)!.operations).toHaveLength(1);
  });

  it('a bot that answers 503 (store down) gets the callback again, and the event fires once', async () => {
    let failures = 1;
    class FlakyStore extends MemoryCallStore {
      override async updateCall<T>(callId: string, step: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
        // The first roster write fails, as when a database connection drops.
        return super.updateCall(callId, (record) => {
          const result = step(record);
          const appliesRoster = result.effects.some((e) => e.type === 'rosterUpdated');
          if (appliesRoster && failures > 0) {
            failures--;
            throw new Error('connection reset');
          }
          return result;
        });
      }
    }
    stack = await startStack({ store: new FlakyStore() });
    const { emulator, bot, rec, callbackUri } = stack;
    const call = emulator.createCall({ callbackUri, kind: 'group' });
    const invitation = await bot.invite(call.id, { participants: [user('u-1')] });
    await invitation.completion;
    await emulator.idle();
    expect(emulator.deliveries.some((d) => d.attempts.map((a) => a.status).join() === '503,202')).toBe(true);
    expect(rec.of('operationCompleted')).toHaveLength(1);
    expect(rec.of('rosterUpdated')).toHaveLength(1);
  });

  it('rotated signing keys are picked up (after the key refresh cool-down)', async () => {
    stack = await startStack({ keyRefreshCooldownMs: 0 });
    const { emulator, bot, rec, callbackUri } = stack;
    const call = emulator.createCall({ callbackUri, kind: 'group' });
    await (await bot.invite(call.id, { participants: [user('u-1')] })).completion;
    await emulator.rotateKeys({ dropOld: true });
    await (await bot.invite(call.id, { participants: [user('u-2')] })).completion;
    await emulator.idle();
    expect(rec.of('operationCompleted')).toHaveLength(2);
    expect(emulator.deliveries.every((d) => d.status === 202)).toBe(true);
  });

  it('refuses callbacks signed by a key it was never given (401), and the emulator does not retry a 4xx', async () => {
    stack = await startStack();
    const { emulator, bot, rec, callbackUri } = stack;
    const token = await emulator.issueToken({ aud: 'another-bot' });
    const res = await fetch(callbackUri, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ value: [] }) });
    expect(res.status).toBe(401);
    expect(rec.events).toHaveLength(0);
    expect(bot.listenerCount('error')).toBe(1);
  });
});
