import { describe, it, expect } from '@jest/globals';
import { GraphCommsError, InviteValidationError, RequestValidationError, type RequestRule } from '@graph-comms/core';
import { botsWithFakeGraph } from '../../../test/helpers/bots.js';
import { graphDoc, method, METHODS, prompt, UNSAFE_IDS, type HandleMethod } from './helpers/actions.js';

const CALL = '57dab8b1-894c-409a-b240-bd8beae78896';
const PID = 'fa1e9582-7145-4ca3-bcd8-577f561fcb6e';

const suite = botsWithFakeGraph();
const answering = () => {
  suite.graph.script = () => ({ status: 200, body: { id: 'op-1', status: 'running' } });
  return suite.newBot();
};

/** Runs a method and expects a RequestValidationError of that rule, with no HTTP request sent. */
async function expectRefused(m: HandleMethod, request: unknown, rule: RequestRule, ids: { callId?: string; participantId?: string } = {}) {
  const bot = answering();
  const before = suite.graph.received.length;
  const error = await m.run(bot, ids.callId ?? CALL, ids.participantId ?? PID, request).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RequestValidationError);
  expect(error).toMatchObject({ code: 'request_invalid', rule, action: m.action });
  expect((error as Error).message.startsWith(`${m.action}: `)).toBe(true);
  expect(suite.graph.received.length).toBe(before);
}

const prompts = (n: number) => Array.from({ length: n }, (_, i) => prompt(i));
const SECONDS = ['initialSilenceTimeoutInSeconds', 'maxSilenceTimeoutInSeconds', 'maxRecordDurationInSeconds'] as const;

// [method, request, rule]
const RULES: Array<[string, unknown, RequestRule]> = [
  ['call.playPrompt', undefined, 'prompts.missing'],
  ['call.playPrompt', {}, 'prompts.missing'],
  ['call.playPrompt', { prompts: [] }, 'prompts.missing'],
  ['call.playPrompt', { prompts: prompts(21) }, 'prompts.tooMany'],
  // A key of mediaInfo at the prompt's level is a key a mediaPrompt does not have: refused as such.
  ['call.playPrompt', { prompts: [{ uri: 'https://cdn.contoso.com/a.wav' }] }, 'unknown_field'],
  ['call.playPrompt', { prompts: [prompt(), { mediaInfo: { uri: '' } }] }, 'prompts.invalid'],
  ['call.playPrompt', { prompts: ['https://cdn.contoso.com/a.wav'] }, 'prompts.invalid'],
  ['call.recordResponse', { prompts: prompts(2) }, 'prompts.tooMany'],
  ['call.recordResponse', { prompts: [{ mediaInfo: {} }] }, 'prompts.invalid'],
  ...SECONDS.flatMap((field): Array<[string, unknown, RequestRule]> => [
    ['call.recordResponse', { [field]: 0 }, `${field}.outOfRange`],
    ['call.recordResponse', { [field]: 121 }, `${field}.outOfRange`],
    ['call.recordResponse', { [field]: -5 }, `${field}.outOfRange`],
    ['call.recordResponse', { [field]: 1.5 }, `${field}.invalid`],
    ['call.recordResponse', { [field]: '5' }, `${field}.invalid`],
    ['call.recordResponse', { [field]: Number.NaN }, `${field}.invalid`],
  ]),
  ['call.recordResponse', { bargeInAllowed: 'yes' }, 'bargeInAllowed.invalid'],
  ['call.recordResponse', { bargeInAllowed: 1 }, 'bargeInAllowed.invalid'],
  ['call.recordResponse', { playBeep: 'true' }, 'playBeep.invalid'],
  ['call.recordResponse', { playBeep: null }, 'playBeep.invalid'],
  ['call.recordResponse', { stopTones: ['#', 1] }, 'stopTones.invalid'],
  ['call.recordResponse', { stopTones: [''] }, 'stopTones.invalid'],
  ['call.sendDtmfTones', undefined, 'tones.missing'],
  ['call.sendDtmfTones', {}, 'tones.missing'],
  ['call.sendDtmfTones', { tones: [] }, 'tones.missing'],
  ['call.sendDtmfTones', { tones: ['tone11'] }, 'tones.invalid'],
  ['call.sendDtmfTones', { tones: ['tone1', 'TONE2'] }, 'tones.invalid'],
  ['call.sendDtmfTones', { tones: [{ tone: 'tone1' }] }, 'tones.invalid'],
  ['call.sendDtmfTones', { tones: ['tone1'], delayBetweenTonesMs: -1 }, 'delayBetweenTonesMs.outOfRange'],
  ['call.sendDtmfTones', { tones: ['tone1'], delayBetweenTonesMs: 60_001 }, 'delayBetweenTonesMs.outOfRange'],
  ['call.sendDtmfTones', { tones: ['tone1'], delayBetweenTonesMs: 2.5 }, 'delayBetweenTonesMs.invalid'],
  ['call.sendDtmfTones', { tones: ['tone1'], delayBetweenTonesMs: '1000' }, 'delayBetweenTonesMs.invalid'],
  ['call.updateRecordingStatus', undefined, 'status.missing'],
  ['call.updateRecordingStatus', {}, 'status.missing'],
  ['call.updateRecordingStatus', { status: 'paused' }, 'status.invalid'],
  ['call.updateRecordingStatus', { status: 'Recording' }, 'status.invalid'],
  // Microsoft's example request, as printed, sends a placeholder.
  ['call.updateRecordingStatus', graphDoc('updateRecordingStatus', 'ex1-update-recording-status.request.json'), 'status.invalid'],
  ['call.changeScreenSharingRole', undefined, 'role.missing'],
  ['call.changeScreenSharingRole', {}, 'role.missing'],
  ['call.changeScreenSharingRole', { role: 'presenter' }, 'role.invalid'],
  ['call.changeScreenSharingRole', { role: 1 }, 'role.invalid'],
  ['participant.startHoldMusic', { customPrompt: {} }, 'customPrompt.invalid'],
  ['participant.startHoldMusic', { customPrompt: 'https://bot.contoso.com/onHold.wav' }, 'customPrompt.invalid'],
  ['participant.startHoldMusic', { customPrompt: [prompt()] }, 'customPrompt.invalid'],
];

const withContext = (m: HandleMethod, clientContext: unknown) => ({ ...(m.valid ?? {}), clientContext });
const OPERATIONS = METHODS.filter((m) => m.operation);
const WITH_REQUEST = METHODS.filter((m) => m.takesRequest);

describe('documented rules of each action', () => {
  it.each(RULES)('%s(%j) is refused with %s, no request sent', async (label, request, rule) => {
    await expectRefused(method(label), request, rule);
  });

  it.each(OPERATIONS.flatMap((m): Array<[string, unknown, RequestRule]> => [
    [m.label, '', 'clientContext.invalid'],
    [m.label, 42, 'clientContext.invalid'],
    [m.label, 'x'.repeat(257), 'clientContext.tooLong'],
  ]))('%s refuses clientContext %j with %s', async (label, clientContext, rule) => {
    const m = method(label);
    await expectRefused(m, withContext(m, clientContext), rule);
  });

  it.each(WITH_REQUEST.flatMap((m) => [[m.label, 'mute'], [m.label, 42], [m.label, [m.valid ?? {}]]] as Array<[string, unknown]>))(
    '%s refuses a request that is not an object (%j)',
    async (label, request) => {
      await expectRefused(method(label), request, 'request.invalid');
    },
  );
});

describe('boundaries that are accepted and sent', () => {
  const ACCEPTED: Array<[string, unknown]> = [
    ['call.playPrompt', { prompts: prompts(20) }],
    ['call.playPrompt', graphDoc('playPrompt', 'ex1-play-prompt.request.json')],
    ['call.recordResponse', undefined],
    ['call.recordResponse', { prompts: [] }],
    ['call.recordResponse', { prompts: prompts(1), initialSilenceTimeoutInSeconds: 120, maxSilenceTimeoutInSeconds: 120, maxRecordDurationInSeconds: 120 }],
    ['call.recordResponse', { initialSilenceTimeoutInSeconds: 1, maxSilenceTimeoutInSeconds: 1, maxRecordDurationInSeconds: 1, bargeInAllowed: false, playBeep: false }],
    ['call.recordResponse', graphDoc('recordResponse', 'ex1-record-response.request.json')],
    ['call.sendDtmfTones', graphDoc('sendDtmfTones', 'ex1-send-dtmf-tones.request.json')],
    ['call.sendDtmfTones', { tones: ['a', 'b', 'c', 'd', 'flash'], delayBetweenTonesMs: 0 }],
    ['call.sendDtmfTones', { tones: ['tone0'], delayBetweenTonesMs: 60_000 }],
    ['call.mute', undefined],
    ['call.updateRecordingStatus', { status: 'notRecording' }],
    ['call.updateRecordingStatus', { status: 'failed' }],
    ['call.changeScreenSharingRole', { role: 'sharer' }],
    ['participant.startHoldMusic', graphDoc('startHoldMusic', 'ex1-start-hold-music.request.json')],
    ['participant.startHoldMusic', undefined],
    ...OPERATIONS.map((m): [string, unknown] => [m.label, withContext(m, 'c'.repeat(256))]),
    ...METHODS.map((m): [string, unknown] => [m.label, m.valid]),
  ];

  it.each(ACCEPTED)('%s(%j) sends one request', async (label, request) => {
    const bot = answering();
    await expect(method(label).run(bot, CALL, PID, request)).resolves.not.toBeInstanceOf(Error);
    expect(suite.graph.received).toHaveLength(1);
  });
});

describe('path safety', () => {
  it.each(METHODS.flatMap((m) => UNSAFE_IDS.map((id): [string, string] => [m.label, id])))('%s refuses call id %j', async (label, callId) => {
    await expectRefused(method(label), method(label).valid, 'callId.invalid', { callId });
  });

  it.each(METHODS.filter((m) => m.participant).flatMap((m) => UNSAFE_IDS.map((id): [string, string] => [m.label, id])))(
    '%s refuses participant id %j',
    async (label, participantId) => {
      await expectRefused(method(label), method(label).valid, 'participantId.invalid', { participantId });
    },
  );

  it.each(UNSAFE_IDS.map((id) => [id]))('bot.invite refuses call id %j with InviteValidationError', async (callId) => {
    const bot = answering();
    const error = await bot.invite(callId, { participants: [{ identity: { user: { id: 'u1' } } }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InviteValidationError);
    expect(error).toMatchObject({ code: 'invite_invalid', rule: 'callId.invalid' });
    expect(suite.graph.received).toHaveLength(0);
  });

  it('checks the ids before the request, so a bad id and a bad body report the id', async () => {
    await expectRefused(method('call.playPrompt'), { prompts: [] }, 'callId.invalid', { callId: '..' });
    await expectRefused(method('participant.startHoldMusic'), { customPrompt: 1 }, 'participantId.invalid', { participantId: 'a/b' });
  });
});

describe('clientContext and client', () => {
  it.each(OPERATIONS.map((m) => [m.label]))('%s refuses a clientContext that a pending operation holds', async (label) => {
    const bot = answering();
    await bot.call(CALL).playPrompt({ prompts: [prompt()], clientContext: 'held' }); // answered running: still pending
    expect(suite.graph.received).toHaveLength(1);
    const m = method(label);
    const error = await m.run(bot, 'another-call', PID, withContext(m, 'held')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error).toMatchObject({ code: 'request_invalid', rule: 'clientContext.pending', action: m.action });
    expect(suite.graph.received).toHaveLength(1);
  });

  it.each(METHODS.map((m) => [m.label]))('%s needs a graphClient', async (label) => {
    const bot = suite.newBot({ graphClient: undefined });
    const m = method(label);
    const error = await m.run(bot, CALL, PID, m.valid).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphCommsError);
    expect(error).not.toBeInstanceOf(RequestValidationError);
    expect(error).toMatchObject({ code: 'graph_client_missing' });
    expect((error as Error).message).toContain(m.action);
  });
});
