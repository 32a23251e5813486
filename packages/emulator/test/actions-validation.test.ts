/** Bodies that break an action page's rules are answered 400 with a Graph error, and start nothing. */
import { describe, it, expect } from '@jest/globals';
import type { JsonObject } from '../src/index.js';
import { useEmulator } from './helpers.js';
import { PROMPT, act, groupCall } from './action-helpers.js';

describe('call action validation', () => {
  const env = useEmulator({ operationDelayMs: 5 }, 'nothing');

  const long = 'x'.repeat(257);
  const cases: Array<[string, string, unknown]> = [
    ['playPrompt without prompts', 'playPrompt', {}],
    ['playPrompt with an empty prompts list', 'playPrompt', { prompts: [] }],
    ['playPrompt with 21 prompts', 'playPrompt', { prompts: Array.from({ length: 21 }, () => PROMPT) }],
    ['playPrompt with prompts not a list', 'playPrompt', { prompts: PROMPT }],
    ['playPrompt with a prompt without mediaInfo', 'playPrompt', { prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt' }] }],
    ['playPrompt with a mediaInfo without uri', 'playPrompt', { prompts: [{ mediaInfo: { resourceId: 'r' } }] }],
    ['playPrompt with a 257-character clientContext', 'playPrompt', { prompts: [PROMPT], clientContext: long }],
    ['playPrompt with a numeric clientContext', 'playPrompt', { prompts: [PROMPT], clientContext: 7 }],
    ['playPrompt with an array body', 'playPrompt', [PROMPT]],
    ['recordResponse with 2 prompts', 'recordResponse', { prompts: [PROMPT, PROMPT] }],
    ['recordResponse with maxRecordDurationInSeconds 0', 'recordResponse', { maxRecordDurationInSeconds: 0 }],
    ['recordResponse with maxRecordDurationInSeconds 121', 'recordResponse', { maxRecordDurationInSeconds: 121 }],
    ['recordResponse with maxRecordDurationInSeconds "10"', 'recordResponse', { maxRecordDurationInSeconds: '10' }],
    ['recordResponse with initialSilenceTimeoutInSeconds 1.5', 'recordResponse', { initialSilenceTimeoutInSeconds: 1.5 }],
    ['recordResponse with bargeInAllowed "yes"', 'recordResponse', { bargeInAllowed: 'yes' }],
    ['recordResponse with playBeep 1', 'recordResponse', { playBeep: 1 }],
    ['recordResponse with stopTones not strings', 'recordResponse', { stopTones: [1] }],
    ['sendDtmfTones without tones', 'sendDtmfTones', {}],
    ['sendDtmfTones with no tones', 'sendDtmfTones', { tones: [] }],
    ['sendDtmfTones with an unknown tone', 'sendDtmfTones', { tones: ['tone1', 'tone10'] }],
    ['sendDtmfTones with a negative delay', 'sendDtmfTones', { tones: ['tone1'], delayBetweenTonesMs: -1 }],
    ['subscribeToTone with a long clientContext', 'subscribeToTone', { clientContext: long }],
    ['cancelMediaProcessing with a long clientContext', 'cancelMediaProcessing', { clientContext: long }],
    ['mute with a long clientContext', 'mute', { clientContext: long }],
    ['unmute with a boolean clientContext', 'unmute', { clientContext: true }],
    ['participant mute with a long clientContext', 'participants/{member}/mute', { clientContext: long }],
    ['startHoldMusic with a customPrompt without mediaInfo', 'participants/{member}/startHoldMusic', { customPrompt: { uri: 'x' } }],
    ['stopHoldMusic with a long clientContext', 'participants/{member}/stopHoldMusic', { clientContext: long }],
    ['updateRecordingStatus without status', 'updateRecordingStatus', {}],
    ['updateRecordingStatus with status "paused"', 'updateRecordingStatus', { status: 'paused' }],
    ['updateRecordingStatus with a long clientContext', 'updateRecordingStatus', { status: 'recording', clientContext: long }],
    ['changeScreenSharingRole without role', 'changeScreenSharingRole', {}],
    ['changeScreenSharingRole with role "presenter"', 'changeScreenSharingRole', { role: 'presenter' }],
  ];

  it.each(cases)('%s: 400 BadRequest', async (_name, path, body) => {
    const { callId, memberId } = groupCall(env.emulator, env.bot);
    const answer = await act(env.emulator, callId, path.replace('{member}', memberId), body);
    expect(answer.status).toBe(400);
    const error = answer.body.error as JsonObject;
    expect(error.code).toBe('BadRequest');
    expect(typeof error.message).toBe('string');
    expect(String(error.message).length).toBeGreaterThan(0);
    expect(env.emulator.getCall(callId)?.operations).toEqual([]);
  });

  it('accepts the limits themselves: 20 prompts, a 256-character clientContext, durations 1 and 120, null members', async () => {
    const { callId } = groupCall(env.emulator, env.bot);
    const exact = 'y'.repeat(256);
    expect((await act(env.emulator, callId, 'playPrompt', { prompts: Array.from({ length: 20 }, () => PROMPT), clientContext: exact })).body).toMatchObject({ status: 'running', clientContext: exact });
    expect((await act(env.emulator, callId, 'recordResponse', { maxRecordDurationInSeconds: 120, initialSilenceTimeoutInSeconds: 1, prompts: null, clientContext: null })).status).toBe(200);
    expect((await act(env.emulator, callId, 'recordResponse', {})).status).toBe(200);
    expect((await act(env.emulator, callId, 'subscribeToTone')).body).toMatchObject({ status: 'completed', clientContext: null });
    await env.emulator.idle();
  });
});
