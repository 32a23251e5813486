/** recordResponse's recording, downloadable only with its access token; cancelMediaProcessing failing media operations. */
import { describe, it, expect } from '@jest/globals';
import { GraphEmulator, type JsonObject } from '../src/index.js';
import { useEmulator } from './helpers.js';
import { PROMPT, aboutOperation, act, groupCall } from './action-helpers.js';

describe('recordings and cancelMediaProcessing', () => {
  const env = useEmulator({ operationDelayMs: 5 });

  async function record(target: GraphEmulator): Promise<{ callId: string; outcome: JsonObject }> {
    const { callId } = groupCall(target, env.bot);
    const answer = await act(target, callId, 'recordResponse', { prompts: [PROMPT], maxRecordDurationInSeconds: 5, clientContext: 'rec' });
    expect(answer.body).toMatchObject({ '@odata.type': '#microsoft.graph.recordOperation', status: 'running', recordingLocation: null });
    await target.idle();
    const [notification] = aboutOperation(env.bot, callId, String(answer.body.id));
    return { callId, outcome: notification?.resourceData as JsonObject };
  }

  const download = (location: string, authorization?: string) => fetch(location, { headers: authorization === undefined ? {} : { Authorization: authorization } });

  it('the completion names a recording on the emulator; its token downloads a valid WAV', async () => {
    const { callId, outcome } = await record(env.emulator);
    expect(outcome).toMatchObject({ status: 'completed', clientContext: 'rec', completionReason: 'maxRecordDurationReached' });
    const location = String(outcome.recordingLocation);
    const token = String(outcome.recordingAccessToken);
    expect(location.startsWith(`${env.emulator.url}recordings/`)).toBe(true);
    expect(token.length).toBeGreaterThanOrEqual(32);
    const response = await download(location, `Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/octet-stream');
    const wav = Buffer.from(await response.arrayBuffer());
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.readUInt16LE(20)).toBe(1); // PCM
    expect(wav.toString('ascii', 36, 40)).toBe('data');
    const dataBytes = wav.readUInt32LE(40);
    expect(dataBytes).toBe(wav.readUInt32LE(28)); // one second of audio
    expect(wav.subarray(44).every((byte) => byte === 0)).toBe(true);
    expect(env.emulator.recordings).toEqual([expect.objectContaining({ callId, location, accessToken: token, downloads: 1 })]);
  });

  it('401 InvalidAuthenticationToken without a token or with another one; 404 for an unknown recording', async () => {
    const { outcome } = await record(env.emulator);
    const location = String(outcome.recordingLocation);
    for (const authorization of [undefined, 'Bearer not-the-token', `Basic ${String(outcome.recordingAccessToken)}`]) {
      const response = await download(location, authorization);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: JsonObject }).error.code).toBe('InvalidAuthenticationToken');
    }
    const other = await record(env.emulator);
    expect((await download(location, `Bearer ${String(other.outcome.recordingAccessToken)}`)).status).toBe(401);
    expect((await download(`${env.emulator.url}recordings/nope`, `Bearer ${String(outcome.recordingAccessToken)}`)).status).toBe(404);
  });

  it('401 once the token has expired (recordingTokenLifetimeMs)', async () => {
    const shortLived = await GraphEmulator.start({ operationDelayMs: 5, recordingTokenLifetimeMs: 400 });
    try {
      const { outcome } = await record(shortLived);
      const authorization = `Bearer ${String(outcome.recordingAccessToken)}`;
      expect((await download(String(outcome.recordingLocation), authorization)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const expired = await download(String(outcome.recordingLocation), authorization);
      expect(expired.status).toBe(401);
      expect(((await expired.json()) as { error: JsonObject }).error.message).toMatch(/expired/);
    } finally {
      await shortLived.close();
    }
  });

  it('cancelMediaProcessing fails every running playPrompt and recordResponse with 400/8508, not subscribeToTone or sendDtmfTones', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    for (const action of ['playPrompt', 'recordResponse', 'sendDtmfTones'] as const) env.emulator.faults.nextOperation(action, { neverComplete: true });
    const play = await act(env.emulator, callId, 'playPrompt', { prompts: [PROMPT], clientContext: 'play' });
    const rec = await act(env.emulator, callId, 'recordResponse', { clientContext: 'rec' });
    const dtmf = await act(env.emulator, callId, 'sendDtmfTones', { tones: ['tone1'] });
    const tone = await act(env.emulator, callId, 'subscribeToTone', {});
    const cancel = await act(env.emulator, callId, 'cancelMediaProcessing', { clientContext: 'cancel' });
    expect(cancel.body).toMatchObject({ '@odata.type': '#microsoft.graph.cancelMediaProcessingOperation', status: 'completed', clientContext: 'cancel' });
    await env.emulator.idle();
    const cancelled = { code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' };
    expect(aboutOperation(env.bot, callId, String(play.body.id))).toEqual([
      expect.objectContaining({ changeType: 'deleted', resourceData: expect.objectContaining({ '@odata.type': '#microsoft.graph.playPromptOperation', status: 'failed', clientContext: 'play', resultInfo: expect.objectContaining(cancelled) }) }),
    ]);
    expect(aboutOperation(env.bot, callId, String(rec.body.id))[0]?.resourceData).toMatchObject({
      '@odata.type': '#microsoft.graph.recordOperation',
      status: 'failed',
      resultInfo: cancelled,
      recordingLocation: '',
      recordingAccessToken: '',
      completionReason: 'operationCanceled',
    });
    for (const untouched of [dtmf, tone, cancel]) expect(aboutOperation(env.bot, callId, String(untouched.body.id))).toEqual([]);
    expect(env.emulator.getCall(callId)?.operations.map((op) => [op.action, op.status])).toEqual([
      ['playPrompt', 'failed'],
      ['recordResponse', 'failed'],
      ['sendDtmfTones', 'running'],
      ['subscribeToTone', 'completed'],
      ['cancelMediaProcessing', 'completed'],
    ]);
  });

  it('a cancelled operation does not complete afterwards; operations already completed are left alone', async () => {
    const slow = await GraphEmulator.start({ operationDelayMs: 100 });
    try {
      const { callId } = groupCall(slow, env.bot);
      const play = await act(slow, callId, 'playPrompt', { prompts: [PROMPT] });
      await act(slow, callId, 'cancelMediaProcessing', {});
      await slow.idle();
      expect(aboutOperation(env.bot, callId, String(play.body.id)).map((n) => (n.resourceData as JsonObject).status)).toEqual(['failed']);
      env.bot.reset();
      await act(slow, callId, 'cancelMediaProcessing', {});
      await slow.idle();
      expect(env.bot.about(callId)).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});
