import { describe, it, expect } from '@jest/globals';
import { createConsoleLogger, type Logger } from '@graph-comms/core';
import { graphDoc } from '../helpers/actions.js';
import { capturingLogger } from '../helpers/calls.js';
import { makeKey, nowSeconds, signToken } from '../auth/helpers.js';
import { GRAPH_ACCESS_TOKEN, json, loggingSuite } from './bot.js';
import { captureStderr, pinoInMemory } from './capture.js';

const suite = loggingSuite();
const RECORDING_TOKEN = 'recording-access-token-0b9e8d7c6a5f4e3d2c1b0a9f8e7d6c5b';

/** Every logger kind at debug, each returning its lines as text once `done`. */
const LOGGERS: Array<[string, () => { logger: Logger; text(): string[]; done(): void }]> = [
  ['the console logger', () => {
    const stderr = captureStderr();
    return { logger: createConsoleLogger({ level: 'debug' }), text: () => stderr.lines(), done: () => stderr.restore() };
  }],
  ['pino', () => {
    const { logger, raw } = pinoInMemory('debug');
    return { logger, text: () => raw, done: () => undefined };
  }],
  ['a capturing logger (fields as given, Errors whole)', () => {
    const { logger, lines } = capturingLogger();
    const text = (value: unknown): string => JSON.stringify(value, (_key, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack, cause: String(v.cause) } : v));
    return { logger, text: () => lines.map(text), done: () => undefined };
  }],
];

describe('no token reaches a log line, even at debug', () => {
  it.each(LOGGERS)('%s, through refused and accepted callbacks and a refused request', async (_name, make) => {
    const other = await makeKey('k-other');
    const forged = await signToken(other, {}, { kid: 'k1' });
    const expired = await signToken(suite.key, { exp: nowSeconds() - 3600, nbf: nowSeconds() - 7200, iat: nowSeconds() - 7200 });
    const recording = graphDoc('recordResponse', 'ex1-record-response.notification.json');
    recording.value[0].resourceData.recordingAccessToken = RECORDING_TOKEN;
    const callId = recording.value[0].resourceUrl.split('/')[3] as string;
    suite.graph.script = () => ({ status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' } } });

    const sink = make();
    let lines: string[];
    try {
      const bot = suite.newBot(sink.logger);
      // Something to log on the accepted callback: a handler and a listener that fail, with nobody on `error`.
      bot.use(() => {
        throw new Error('handler broke');
      });
      bot.on('operationCompleted', () => {
        throw new Error('listener broke');
      });
      const post = (authorization: string, body: unknown) => bot.handleRequest({ headers: { ...json, authorization }, body: JSON.stringify(body) });
      expect((await post(`Bearer ${forged}`, recording)).status).toBe(401);
      expect((await post(`Bearer ${expired}`, recording)).status).toBe(401);
      expect((await post(`Bearer ${suite.token}`, recording)).status).toBe(202);
      await expect(bot.call(callId).playPrompt({ prompts: [{ mediaInfo: { uri: 'https://cdn.contoso.com/a.wav' } }] })).rejects.toMatchObject({ status: 401 });
      expect(suite.graph.received[0]!.headers.authorization).toBe(`Bearer ${GRAPH_ACCESS_TOKEN}`); // the token was there to leak
      lines = sink.text();
    } finally {
      sink.done();
    }

    // Two refusals, the handler, the listener, and Graph's refusal: five lines to look into.
    expect(lines).toHaveLength(5);
    const secrets = [forged, expired, suite.token, RECORDING_TOKEN, GRAPH_ACCESS_TOKEN, ...[forged, expired, suite.token].map((t) => t.split('.')[2]!)];
    for (const line of lines) {
      for (const secret of secrets) expect(line).not.toContain(secret);
      expect(line).not.toMatch(/Bearer [A-Za-z0-9]/);
    }
  });
});
