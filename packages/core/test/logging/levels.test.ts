import { describe, it, expect } from '@jest/globals';
import { Client } from '@microsoft/microsoft-graph-client';
import { CallingBot, GraphRequestError, RequestValidationError } from '@graph-comms/core';
import { capturingLogger, incomingCall } from '../helpers/calls.js';
import { FailingStore } from '../hardening/failing-store.js';
import { deadUrl } from '../auth/helpers.js';
import { CALL, callUpdate, json, loggingSuite } from './bot.js';
import { PINO_LEVEL, pinoInMemory, waitFor } from './capture.js';

const suite = loggingSuite();
const prompt = { mediaInfo: { uri: 'https://cdn.contoso.com/hello.wav' } };
const refuse = (status: number, code: string) => () => ({ status, headers: { 'request-id': `req-${status}` }, body: { error: { code, message: `refused ${status}` } } });

describe('refused callbacks are logged once, at warn, with their reason', () => {
  it.each([
    ['a token that is not a JWT (401)', 'Bearer not-a-jwt', '{"value": []}', 'malformed_token'],
    ['a body that is not JSON (400)', undefined, '{"value": [', 'invalid_json'],
    ['a body that is not commsNotifications (400)', undefined, '{"value": 5}', 'notification_invalid'],
  ])('%s', async (_name, authorization, raw, reason) => {
    const { logger, lines } = capturingLogger();
    const bot = suite.newBot(logger);
    const answer = await bot.handleRequest({ headers: { ...json, authorization: authorization ?? `Bearer ${suite.token}` }, body: raw });
    expect(answer.status).toBe(authorization ? 401 : 400);
    expect(lines).toEqual([{ level: 'warn', fields: expect.objectContaining({ reason }), message: expect.stringContaining('callback refused') }]);
  });
});

describe('store failures are logged at error', () => {
  const failingBot = (withErrorListener: boolean) => {
    const { logger, lines } = capturingLogger();
    const store = new FailingStore();
    store.failWhen = () => true;
    const bot = suite.newBot(logger, { store });
    if (withErrorListener) bot.on('error', () => undefined);
    return { bot, lines };
  };

  it('once, as the callback answered 503, when an error listener hears the failure', async () => {
    const { bot, lines } = failingBot(true);
    const answer = await bot.handleRequest({ headers: { ...json, authorization: `Bearer ${suite.token}` }, body: callUpdate('established') });
    expect(answer.status).toBe(503);
    expect(lines).toEqual([{ level: 'error', fields: expect.objectContaining({ reason: 'store_unavailable' }), message: expect.stringContaining('not recorded') }]);
  });

  it('also as the unheard error, with its stack, when nobody listens to error', async () => {
    const { bot, lines } = failingBot(false);
    const answer = await bot.handleRequest({ headers: { ...json, authorization: `Bearer ${suite.token}` }, body: callUpdate('established') });
    expect(answer.status).toBe(503);
    expect(lines.map((l) => l.level)).toEqual(['error', 'error']);
    const unheard = lines.find((l) => l.fields['source'] === 'store');
    expect(unheard).toMatchObject({ fields: { callId: CALL, code: 'store_unavailable', err: expect.any(Error) }, message: expect.stringContaining('the call store failed') });
    expect((unheard!.fields['err'] as Error).stack).toContain('injected failure');
  });
});

describe("Graph's refusals of the bot's requests are logged once, at warn, with action, status and code", () => {
  it.each<[string, (bot: CallingBot) => Promise<unknown>, Record<string, unknown>]>([
    ['an operation (playPrompt, 403)', (bot) => bot.call(CALL).playPrompt({ prompts: [prompt] }), { action: 'playPrompt', callId: CALL, status: 403, code: 'Forbidden', requestId: 'req-403' }],
    ['a participant action (mute, 400)', (bot) => bot.call(CALL).participant('p-1').mute(), { action: 'muteParticipant', callId: CALL, participantId: 'p-1', status: 400, code: 'BadRequest' }],
    ['an action without operation (hangUp, 404)', (bot) => bot.call(CALL).hangUp(), { action: 'hangUp', callId: CALL, status: 404, code: 'NotFound' }],
  ])('%s', async (_name, act, expected) => {
    const status = expected['status'] as number;
    suite.graph.script = refuse(status, expected['code'] as string);
    const { logger, lines } = capturingLogger();
    const bot = suite.newBot(logger);
    await expect(act(bot)).rejects.toBeInstanceOf(GraphRequestError);
    expect(lines).toEqual([{ level: 'warn', fields: expect.objectContaining(expected), message: expect.stringContaining(`Graph answered ${status}`) }]);
  });

  it('a request that got no answer: status 0', async () => {
    const { logger, lines } = capturingLogger();
    const graphClient = Client.init({ baseUrl: (await deadUrl()).replace(/openid$/, ''), authProvider: (done) => done(null, 'token') });
    const bot = suite.newBot(logger, { graphClient });
    await expect(bot.call(CALL).subscribeToTone()).rejects.toMatchObject({ code: 'graph_unreachable' });
    expect(lines).toEqual([{ level: 'warn', fields: expect.objectContaining({ action: 'subscribeToTone', callId: CALL, status: 0, code: 'graph_unreachable' }), message: expect.stringContaining('could not be reached') }]);
  });

  it('not a request refused before it was sent, nor keepAlive (its schedule logs those, knowing a 404 is the end of the call)', async () => {
    suite.graph.script = refuse(500, 'InternalServerError');
    const { logger, lines } = capturingLogger();
    const bot = suite.newBot(logger);
    await expect(bot.call(CALL).playPrompt({ prompts: [] })).rejects.toBeInstanceOf(RequestValidationError);
    await expect(bot.call(CALL).keepAlive()).rejects.toBeInstanceOf(GraphRequestError);
    expect(suite.graph.received.map((r) => r.path)).toEqual([`/v1.0/communications/calls/${CALL}/keepAlive`]);
    expect(lines).toEqual([]);
  });
});

describe('an incoming call left unanswered', () => {
  it('is logged once, at warn', async () => {
    const { logger, lines } = capturingLogger();
    const bot = suite.newBot(logger, { answerDeadlineMs: 30 });
    await bot.processNotifications(incomingCall(CALL));
    await waitFor(() => lines.length > 0, 'the warning');
    expect(lines).toEqual([{ level: 'warn', fields: { callId: CALL, listeners: 0 }, message: expect.stringContaining('408/1106') }]);
  });
});

describe('a real pino logger', () => {
  it('takes the same entries as they are: levels, fields, and an Error as err with its stack', async () => {
    suite.graph.script = refuse(403, 'Forbidden');
    const { logger, entries } = pinoInMemory('info');
    const bot = suite.newBot(logger);
    bot.on('callEstablished', function failingListener() {
      throw new Error('listener broke');
    });
    expect((await bot.handleRequest({ headers: { ...json, authorization: 'Bearer not-a-jwt' }, body: '{}' })).status).toBe(401);
    await expect(bot.call(CALL).playPrompt({ prompts: [prompt] })).rejects.toBeInstanceOf(GraphRequestError);
    await bot.processNotifications(JSON.parse(callUpdate('established')));
    expect(entries()).toEqual([
      expect.objectContaining({ level: PINO_LEVEL.warn, reason: 'malformed_token', msg: expect.stringContaining('callback refused') }),
      expect.objectContaining({ level: PINO_LEVEL.warn, action: 'playPrompt', status: 403, code: 'Forbidden' }),
      expect.objectContaining({ level: PINO_LEVEL.error, source: 'listener', event: 'callEstablished', err: expect.objectContaining({ type: 'Error', message: 'listener broke', stack: expect.stringContaining('failingListener') }) }),
    ]);
  });
});
