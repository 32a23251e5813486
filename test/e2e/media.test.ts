import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { RecordingDownloadError } from '@graph-comms/core';
import type { OperationScript } from '@graph-comms/emulator';
import { startStack, type Stack } from '../helpers/stack.js';
import { allDelivered, emulatorOperation, eventFor, freshCall, operationRows, prompt, scriptNext } from '../helpers/actions.js';

const TIMEOUT_MS = 10_000;
const CANCELLED = { code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' };

let stack: Stack;
beforeAll(async () => {
  // Media operations run long enough for a cancel to find them running.
  stack = await startStack({ emulator: { operationDelayMs: 250 }, bot: { operationTimeoutMs: TIMEOUT_MS } });
});
afterAll(() => stack.close());
afterEach(() => expect(stack.rec.errors).toEqual([]));

describe('cancelMediaProcessing while a playPrompt and a recordResponse run', () => {
  it.each<[string, { media: OperationScript; cancel: OperationScript }]>([
    ['plain', { media: {}, cancel: {} }],
    ['the cancelled outcomes sent twice', { media: { duplicate: true }, cancel: {} }],
    ['the cancelled outcomes in the other id form', { media: { otherIdForm: true }, cancel: {} }],
    ['the cancelled outcomes overtaking the cancel response', { media: {}, cancel: { overtake: true } }],
  ])('%s: both fail with 400/8508, the cancel completes, sendDtmfTones is not touched', async (name, scripts) => {
    const f = await freshCall(stack);
    stack.emulator.faults.nextOperation('playPrompt', scripts.media);
    stack.emulator.faults.nextOperation('recordResponse', scripts.media);
    stack.emulator.faults.nextOperation('cancelMediaProcessing', scripts.cancel);
    const play = await f.handle.playPrompt({ prompts: [prompt('long-menu')] });
    const record = await f.handle.recordResponse({ maxRecordDurationInSeconds: 60 });
    const tones = await f.handle.sendDtmfTones({ tones: ['tone5'] });
    expect([play.status, record.status, tones.status]).toEqual(['running', 'running', 'running']);

    const cancel = await f.handle.cancelMediaProcessing();
    if (name.includes('overtaking')) expect([play.status, record.status]).toEqual(['failed', 'failed']);
    const [playOutcome, recordOutcome, cancelOutcome, tonesOutcome] = await Promise.all([play.completion, record.completion, cancel.completion, tones.completion]);
    await stack.emulator.idle();

    expect(playOutcome).toMatchObject({ status: 'failed', resultInfo: expect.objectContaining(CANCELLED) });
    expect(recordOutcome).toMatchObject({ status: 'failed', resultInfo: expect.objectContaining(CANCELLED) });
    expect(recordOutcome.operation).toMatchObject({ recordingLocation: '', recordingAccessToken: '', completionReason: 'operationCanceled' });
    expect(cancelOutcome.status).toBe('completed');
    expect(tonesOutcome.status).toBe('completed');

    const failed = f.events.of('operationFailed');
    expect(failed.map((e) => e.kind).sort()).toEqual(['playPrompt', 'recordResponse']);
    for (const e of failed) {
      expect(e).toMatchObject({ reason: 'failed', callId: f.call.id, resultInfo: expect.objectContaining(CANCELLED) });
      expect(e.sent).toBe(e.kind === 'playPrompt' ? play : record);
      expect(e.operationId).toBe(e.sent!.id);
    }
    const completed = f.events.of('operationCompleted');
    expect(completed.map((e) => e.kind).sort()).toEqual(['cancelMediaProcessing', 'sendDtmfTones']);
    expect(completed.find((e) => e.kind === 'cancelMediaProcessing')!.sent).toBe(cancel);
    expect(stack.emulator.recordings.filter((r) => r.callId === f.call.id)).toEqual([]);
    // Nothing to download from a cancelled recording.
    const error = await stack.bot.downloadRecording(recordOutcome).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RecordingDownloadError);
    expect(error).toMatchObject({ code: 'recording_missing' });
    allDelivered(f);
  });

  it('with nothing running: completes, and fails nothing', async () => {
    const f = await freshCall(stack);
    const cancel = await f.handle.cancelMediaProcessing({ clientContext: `cancel-${f.call.id}` });
    await expect(cancel.completion).resolves.toMatchObject({ status: 'completed' });
    await stack.emulator.idle();
    expect(f.events.of('operationCompleted')).toEqual([expect.objectContaining({ kind: 'cancelMediaProcessing', clientContext: `cancel-${f.call.id}`, sent: cancel })]);
    expect(f.events.of('operationFailed')).toEqual([]);
  });
});

describe('a call that ends while an operation is pending: operationFailed at once with the call’s resultInfo', () => {
  const ended = { code: 410, subcode: 7000, message: 'The call was ended by the service (scripted).' };
  // Invites are left out: the emulator itself fails an invite whose call ends (410/0), by callback.
  it.each(operationRows((c) => c.fault !== 'invite'))('%s', async (_kind, c) => {
    const f = await freshCall(stack);
    scriptNext(f, c, { neverComplete: true });
    const op = await c.start(f);
    expect(op.status).toBe('running');
    const endedAt = Date.now();
    expect(stack.emulator.endCall(f.call.id, ended)).toBe(true);
    const outcome = await op.completion;
    const failed = await eventFor(stack, 'operationFailed', op);
    // Long before operationTimeoutMs.
    expect(Date.now() - endedAt).toBeLessThan(TIMEOUT_MS / 5);
    expect(outcome).toMatchObject({ status: 'failed', resultInfo: expect.objectContaining(ended) });
    expect(op.status).toBe('failed');
    expect(failed).toMatchObject({ reason: 'failed', kind: c.kind, callId: f.call.id, operationId: op.id, resultInfo: expect.objectContaining(ended) });
    await stack.emulator.idle();
    expect(f.events.of('operationFailed')).toHaveLength(1);
    expect(f.events.of('operationCompleted')).toHaveLength(0);
    expect(f.events.of('callTerminated')).toEqual([{ eventId: expect.any(String), callId: f.call.id, resultInfo: expect.objectContaining(ended) }]);
    expect(emulatorOperation(f, op)).toMatchObject({ status: 'running' });
  });

  it('an operation that would complete normally is dropped with its call too', async () => {
    const f = await freshCall(stack);
    const play = await f.handle.playPrompt({ prompts: [prompt('goodbye')] });
    stack.emulator.endCall(f.call.id, ended);
    await expect(play.completion).resolves.toMatchObject({ status: 'failed', resultInfo: expect.objectContaining(ended) });
    await stack.emulator.idle();
    expect(f.events.of('operationFailed')).toEqual([expect.objectContaining({ kind: 'playPrompt', reason: 'failed', sent: play })]);
    expect(stack.emulator.deliveries.filter((d) => d.callId === f.call.id && d.kind === 'operation')).toEqual([]);
  });
});
