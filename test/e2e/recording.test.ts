import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import type { Readable } from 'node:stream';
import { RecordingDownloadError, type OperationOutcome, type RecordOperation } from '@graph-comms/core';
import { silentWav } from '@graph-comms/emulator';
import { startStack, type Stack } from '../helpers/stack.js';
import { freshCall, prompt, type Fixture } from '../helpers/actions.js';

const TOKEN_LIFETIME_MS = 1_000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ emulator: { recordingTokenLifetimeMs: TOKEN_LIFETIME_MS } });
});
afterAll(() => stack.close());
afterEach(() => expect(stack.rec.errors).toEqual([]));

/** A completed recordResponse on a fresh call, and the emulator's recording of it. */
async function recorded(): Promise<{ f: Fixture; outcome: OperationOutcome<RecordOperation> }> {
  const f = await freshCall(stack);
  const op = await f.handle.recordResponse({ prompts: [prompt('leave-a-message')], playBeep: true, maxRecordDurationInSeconds: 5 });
  const outcome = await op.completion;
  expect(outcome.status).toBe('completed');
  expect(outcome.resultInfo).toMatchObject({ code: 200, subcode: 8515 });
  return { f, outcome };
}

const recordingOf = (outcome: OperationOutcome<RecordOperation>) => stack.emulator.recordings.find((r) => r.location === outcome.operation?.recordingLocation)!;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function refusal(download: Promise<unknown>) {
  const error = await download.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RecordingDownloadError);
  return error as RecordingDownloadError;
}

describe('recordResponse, then bot.downloadRecording(outcome)', () => {
  it('the outcome names the recording; the download is its WAV bytes', async () => {
    const { outcome } = await recorded();
    const recording = recordingOf(outcome);
    expect(recording).toBeDefined();
    expect(outcome.operation).toMatchObject({ recordingAccessToken: recording.accessToken, completionReason: 'maxRecordDurationReached' });
    const audio = await stack.bot.downloadRecording(outcome);
    expect(Buffer.isBuffer(audio)).toBe(true);
    expect(audio.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(audio.subarray(8, 12).toString('ascii')).toBe('WAVE');
    expect(audio.equals(silentWav(1))).toBe(true);
    expect(recordingOf(outcome).downloads).toBe(1);
  });

  it('the recordOperation alone is enough, and { stream: true } streams the same bytes', async () => {
    const { outcome } = await recorded();
    const stream = await stack.bot.downloadRecording(outcome, { stream: true });
    const streamed = await readAll(stream);
    expect(streamed.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(streamed.equals(await stack.bot.downloadRecording(outcome.operation!))).toBe(true);
    expect(recordingOf(outcome).downloads).toBe(2);
  });

  it('the event carries the same recording as the outcome', async () => {
    const { f, outcome } = await recorded();
    await stack.emulator.idle();
    const [completed] = f.events.of('operationCompleted');
    expect(completed!.kind).toBe('recordResponse');
    const operation = completed!.operation as RecordOperation;
    expect(operation.recordingLocation).toBe(outcome.operation!.recordingLocation);
    expect((await stack.bot.downloadRecording(operation)).subarray(0, 4).toString('ascii')).toBe('RIFF');
  });

  it('a wrong access token: recording_expired (401), nothing handed out', async () => {
    const { outcome } = await recorded();
    const token = outcome.operation!.recordingAccessToken!;
    const wrong = { ...outcome, operation: { ...outcome.operation!, recordingAccessToken: `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` } };
    const error = await refusal(stack.bot.downloadRecording(wrong));
    expect(error).toMatchObject({ code: 'recording_expired', status: 401 });
    await expect(refusal(stack.bot.downloadRecording(wrong, { stream: true }))).resolves.toMatchObject({ code: 'recording_expired' });
    expect(recordingOf(outcome).downloads).toBe(0);
    // The outcome itself still opens it.
    await expect(stack.bot.downloadRecording(outcome)).resolves.toBeInstanceOf(Buffer);
  });

  it('after the access token expired: recording_expired', async () => {
    const { outcome } = await recorded();
    const recording = recordingOf(outcome);
    // Waiting for the emulator's clock: the token's expiry, not a guess.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, recording.expiresAt - Date.now()) + 5));
    const error = await refusal(stack.bot.downloadRecording(outcome));
    expect(error).toMatchObject({ code: 'recording_expired', status: 401 });
    expect(recordingOf(outcome).downloads).toBe(0);
  });

  it('a recording the emulator does not know: recording_not_found (404)', async () => {
    const { outcome } = await recorded();
    const location = outcome.operation!.recordingLocation!.replace(/[^/]+$/, 'no-such-recording');
    const error = await refusal(stack.bot.downloadRecording({ ...outcome.operation!, recordingLocation: location }));
    expect(error).toMatchObject({ code: 'recording_not_found', status: 404 });
  });
});
