import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { GraphRequestError, sameId } from '@graph-comms/core';
import type { OperationScript } from '@graph-comms/emulator';
import { startStack, type Stack } from '../helpers/stack.js';
import { allDelivered, briefly, freshCall, operationRows, participantNow, scriptNext, type Fixture, type OperationCase } from '../helpers/actions.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
afterEach(() => expect(stack.rec.errors).toEqual([]));

const DASHED_LOWER = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Starts the case's operation under `script`, awaits its outcome and every callback. */
async function run(c: OperationCase, script: OperationScript = {}) {
  const f = await freshCall(stack);
  scriptNext(f, c, script);
  const op = await c.start(f);
  // What the bot knew when the method resolved.
  const atResponse = { status: op.status, completed: f.events.of('operationCompleted').length };
  const outcome = await op.completion;
  await stack.emulator.idle();
  return { f, op, outcome, atResponse };
}

/** The outcome is `completed`, reported once on operationCompleted with the very object the method resolved. */
function completedOnce(f: Fixture, c: OperationCase, op: Awaited<ReturnType<OperationCase['start']>>, outcome: Awaited<typeof op.completion>) {
  expect(outcome.status).toBe('completed');
  // The resource as Graph sent it (its id possibly in the other form).
  expect(outcome.operation).toMatchObject({ clientContext: op.clientContext });
  expect(sameId(outcome.operation!.id, op.id)).toBe(true);
  expect(op.status).toBe('completed');
  expect(op.kind).toBe(c.kind);
  const completed = f.events.of('operationCompleted');
  expect(completed).toHaveLength(1);
  expect(completed[0]).toMatchObject({ kind: c.kind, callId: f.call.id, operationId: op.id, clientContext: op.clientContext });
  expect(completed[0]!.sent).toBe(op);
  expect(completed[0]!.operation).toEqual(outcome.operation);
  if (c.kind === 'invite') expect(completed[0]!.invitation).toBe(op);
  expect(f.events.of('operationFailed')).toHaveLength(0);
  c.effect(f, op);
  allDelivered(f);
}

describe('every operation of the handles, through the emulator: completes once, correlated', () => {
  it.each(operationRows())('%s', async (_kind, c) => {
    const f = await freshCall(stack);
    const op = await c.start(f);
    expect(op.callId).toBe(f.call.id);
    expect(op.id).toMatch(DASHED_LOWER);
    // Answered running (by a callback later) or already completed in the response.
    if (!c.inResponse) expect(op.status).toBe('running');
    const outcome = await op.completion;
    await stack.emulator.idle();
    completedOnce(f, c, op, outcome);
    if (c.inResponse) expect(stack.emulator.deliveries.filter((d) => d.callId === f.call.id && d.kind === 'operation')).toHaveLength(0);
  });
});

describe('duplicate callbacks: still one event', () => {
  it.each(operationRows())('%s', async (_kind, c) => {
    const { f, op, outcome } = await run(c, { duplicate: true });
    completedOnce(f, c, op, outcome);
    if (!c.inResponse) expect(stack.emulator.deliveries.some((d) => d.callId === f.call.id && d.duplicate)).toBe(true);
  });
});

describe('callbacks that overtake the response: correlated once, completed', () => {
  it.each(operationRows())('%s', async (_kind, c) => {
    const { f, op, outcome, atResponse } = await run(c, { overtake: true });
    // The outcome was applied before the response arrived; the response did not set it back to running.
    expect(atResponse).toEqual({ status: 'completed', completed: 1 });
    completedOnce(f, c, op, outcome);
  });
});

describe('ids in the other form in the callbacks: correlated, ids as the bot sent them and as the response gave them', () => {
  it.each(operationRows())('%s', async (_kind, c) => {
    const { f, op, outcome } = await run(c, { otherIdForm: true });
    completedOnce(f, c, op, outcome);
    const [completed] = f.events.of('operationCompleted');
    expect(completed!.callId).toBe(f.call.id);
    expect(completed!.callId).toMatch(DASHED_LOWER);
    expect(op.id).toMatch(DASHED_LOWER);
    expect(completed!.operationId).toBe(op.id);
    if (!c.inResponse) {
      // The callback really was in the other form.
      const delivery = stack.emulator.deliveries.find((d) => d.callId === f.call.id && d.kind === 'operation')!;
      expect(JSON.stringify(delivery.body)).toContain(f.call.id.replace(/-/g, '').toUpperCase());
    }
  });
});

describe('actions without an operation: resolve undefined once Graph accepted them, with their effect', () => {
  it('changeScreenSharingRole', async () => {
    const f = await freshCall(stack);
    await expect(f.handle.changeScreenSharingRole({ role: 'viewer' })).resolves.toBeUndefined();
    await expect(f.handle.changeScreenSharingRole({ role: 'sharer' })).resolves.toBeUndefined();
    await stack.emulator.idle();
    expect(stack.emulator.getCall(f.call.id)!.operations).toEqual([]);
    expect(f.events.all()).toEqual([]);
  });

  it('keepAlive: accepted on a live call, GraphRequestError 404 on an ended one', async () => {
    const f = await freshCall(stack);
    await expect(f.handle.keepAlive()).resolves.toBeUndefined();
    await stack.emulator.idle();
    expect(f.events.all()).toEqual([]);
    stack.emulator.endCall(f.call.id);
    await stack.emulator.idle();
    const error = await f.handle.keepAlive().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ status: 404 });
  });

  it('hangUp: the call ends, callTerminated once', async () => {
    const f = await freshCall(stack);
    await expect(f.handle.hangUp()).resolves.toBeUndefined();
    await stack.emulator.idle();
    expect(stack.emulator.getCall(f.call.id)!.state).toBe('terminated');
    expect(f.events.of('callTerminated')).toEqual([{ eventId: expect.any(String), callId: f.call.id, resultInfo: expect.objectContaining({ code: 200, subcode: 5001 }), reason: 'ended: the conversation has ended' }]);
    expect((await stack.bot.getCall(f.call.id))!.state).toBe('terminated');
    allDelivered(f);
  });

  it('participant remove: off the roster, rosterUpdated with it removed', async () => {
    const f = await freshCall(stack);
    await expect(f.handle.participant(f.participantId).remove()).resolves.toBeUndefined();
    await stack.emulator.idle();
    expect(participantNow(f, f.participantId)).toBeUndefined();
    const rosters = f.events.of('rosterUpdated');
    expect(rosters).toHaveLength(1);
    expect(rosters[0]!.removed.map((p) => p.id)).toEqual([f.participantId]);
    expect(rosters[0]!.participants.map((p) => p.id)).not.toContain(f.participantId);
    allDelivered(f);
  });
});

describe('hangUp and remove under callback faults: one event each', () => {
  type Row = [string, OperationScript];
  const rows: Row[] = [
    ['duplicate', { duplicate: true }],
    ['overtake', { overtake: true }],
    ['otherIdForm', { otherIdForm: true }],
  ];

  it.each(rows)('hangUp, %s', async (name, script) => {
    const f = await freshCall(stack);
    stack.emulator.faults.nextOperation('hangUp', script);
    await f.handle.hangUp();
    // Overtaking callbacks were answered before the DELETE's response.
    if (name === 'overtake') expect(f.events.of('callTerminated')).toHaveLength(1);
    await stack.emulator.idle();
    expect(f.events.of('callTerminated')).toEqual([{ eventId: expect.any(String), callId: f.call.id, resultInfo: expect.objectContaining({ code: 200, subcode: 5001 }), reason: 'ended: the conversation has ended' }]);
    allDelivered(f);
  });

  it.each(rows)('remove, %s', async (name, script) => {
    const f = await freshCall(stack);
    stack.emulator.faults.nextOperation('removeParticipant', script);
    await f.handle.participant(f.participantId).remove();
    if (name === 'overtake') expect(f.events.of('rosterUpdated')).toHaveLength(1);
    await stack.emulator.idle();
    const rosters = f.events.of('rosterUpdated');
    expect(rosters).toHaveLength(1);
    expect(rosters[0]!.callId).toBe(f.call.id);
    expect(rosters[0]!.removed.map((p) => p.id)).toEqual([f.participantId]);
    allDelivered(f);
  });
});

describe('actions without an operation that Graph refuses: GraphRequestError, no effect, no event', () => {
  const forbidden = { httpError: { status: 403, code: 'Forbidden', message: 'Application is not allowed' } };
  it.each<[string, 'changeScreenSharingRole' | 'keepAlive' | 'hangUp' | 'removeParticipant', (f: Fixture) => Promise<void>, (f: Fixture) => void]>([
    ['changeScreenSharingRole', 'changeScreenSharingRole', (f) => f.handle.changeScreenSharingRole({ role: 'sharer' }), () => undefined],
    ['keepAlive', 'keepAlive', (f) => f.handle.keepAlive(), () => undefined],
    ['hangUp', 'hangUp', (f) => f.handle.hangUp(), (f) => expect(stack.emulator.getCall(f.call.id)!.state).toBe('established')],
    ['participant remove', 'removeParticipant', (f) => f.handle.participant(f.participantId).remove(), (f) => expect(participantNow(f, f.participantId)).toBeDefined()],
  ])('%s', async (_name, action, send, unchanged) => {
    const f = await freshCall(stack);
    stack.emulator.faults.nextOperation(action, forbidden);
    const error = await send(f).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ status: 403, graphCode: 'Forbidden' });
    await stack.emulator.idle();
    await briefly();
    unchanged(f);
    expect(f.events.all()).toEqual([]);
    // And the next one goes through.
    await expect(send(f)).resolves.toBeUndefined();
  });
});
