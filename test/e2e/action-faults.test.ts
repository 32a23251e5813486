import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { GraphRequestError } from '@graph-comms/core';
import { startStack, type Stack } from '../helpers/stack.js';
import { allDelivered, briefly, emulatorOperation, eventFor, freshCall, operationRows, scriptNext } from '../helpers/actions.js';

const TIMEOUT_MS = 300;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ bot: { operationTimeoutMs: TIMEOUT_MS } });
});
afterAll(() => stack.close());
afterEach(() => expect(stack.rec.errors).toEqual([]));

describe('an operation Graph never completes: timedOut at operationTimeoutMs', () => {
  // The emulator has no `neverComplete` for invites (InviteScript), so invite is not in this table.
  it.each(operationRows((c) => c.fault !== 'invite'))('%s', async (_kind, c) => {
    const f = await freshCall(stack);
    scriptNext(f, c, { neverComplete: true });
    const started = Date.now();
    const op = await c.start(f);
    expect(op.status).toBe('running');
    const outcome = await op.completion;
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(outcome.status).toBe('timedOut');
    expect(op.status).toBe('timedOut');
    await eventFor(stack, 'operationFailed', op);
    const failed = f.events.of('operationFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ reason: 'timedOut', kind: c.kind, callId: f.call.id, operationId: op.id, clientContext: op.clientContext });
    expect(failed[0]!.sent).toBe(op);
    expect(f.events.of('operationCompleted')).toHaveLength(0);
    // Graph still holds it running: nothing happened there.
    expect(emulatorOperation(f, op)).toMatchObject({ status: 'running' });
    c.noEffect(f);
  });
});

describe('an operation that fails at Graph: operationFailed with its resultInfo, no effect', () => {
  const resultInfo = { code: 500, subcode: 9999, message: 'Internal server error (scripted).' };
  it.each(operationRows())('%s', async (_kind, c) => {
    const f = await freshCall(stack);
    scriptNext(f, c, { fail: resultInfo });
    const op = await c.start(f);
    const outcome = await op.completion;
    await stack.emulator.idle();
    expect(outcome).toMatchObject({ status: 'failed', resultInfo: expect.objectContaining(resultInfo) });
    expect(op.status).toBe('failed');
    const failed = f.events.of('operationFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ reason: 'failed', kind: c.kind, callId: f.call.id, operationId: op.id, clientContext: op.clientContext, resultInfo: expect.objectContaining(resultInfo) });
    expect(failed[0]!.sent).toBe(op);
    expect(f.events.of('operationCompleted')).toHaveLength(0);
    expect(emulatorOperation(f, op)).toMatchObject({ status: 'failed', resultInfo });
    c.noEffect(f);
    allDelivered(f);
  });
});

describe('an operation Graph refuses (403): GraphRequestError, no event, the clientContext free again', () => {
  it.each(operationRows())('%s', async (_kind, c) => {
    const f = await freshCall(stack);
    const clientContext = `ctx-403-${c.kind}-${f.call.id}`;
    scriptNext(f, c, { httpError: { status: 403, code: 'Forbidden', message: 'Application is not allowed' } });
    const error = await c.start(f, clientContext).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ status: 403, graphCode: 'Forbidden', graphMessage: 'Application is not allowed' });
    await stack.emulator.idle();
    await briefly();
    expect(f.events.all()).toEqual([]);
    expect(stack.emulator.getCall(f.call.id)!.operations).toEqual([]);
    c.noEffect(f);
    // At once, under the same clientContext.
    const op = await c.start(f, clientContext);
    expect(op.clientContext).toBe(clientContext);
    await expect(op.completion).resolves.toMatchObject({ status: 'completed' });
    await stack.emulator.idle();
    expect(f.events.of('operationCompleted')).toEqual([expect.objectContaining({ kind: c.kind, clientContext, sent: op })]);
  });
});

describe('a 429 with Retry-After: the Graph client sends the action again, and it completes once', () => {
  it.each(operationRows())('%s', async (_kind, c) => {
    const f = await freshCall(stack);
    scriptNext(f, c, { httpError: { status: 429, retryAfterSeconds: 0 } });
    const op = await c.start(f);
    await expect(op.completion).resolves.toMatchObject({ status: 'completed' });
    await stack.emulator.idle();
    expect(f.events.of('operationCompleted')).toEqual([expect.objectContaining({ kind: c.kind, sent: op })]);
    expect(stack.emulator.getCall(f.call.id)!.operations.filter((o) => o.clientContext === op.clientContext)).toHaveLength(1);
    c.effect(f, op);
  });
});
