import { describe, it, expect, beforeEach, afterEach, afterAll } from '@jest/globals';
import * as otelApi from '@opentelemetry/api';
import { botsWithFakeGraph } from '../../../../test/helpers/bots.js';
import { loadApi, setApiLoader, type ApiLoader } from '../../src/telemetry/load-api.js';
import { CALLBACK_URI, callbackRequest, capturingLogger, established } from '../helpers/calls.js';
import { registerSdk, type RecordingSdk } from './sdk.js';
import { CALL, graphScript, realisticRun } from './run.js';

// An SDK is registered throughout: were a bot to reach the API anyway, it would be recorded.
const suite = botsWithFakeGraph({ callbackUri: CALLBACK_URI, keepAliveIntervalMs: false });
let sdk: RecordingSdk;
beforeEach(() => {
  sdk = registerSdk();
  suite.graph.script = graphScript;
});
afterEach(() => sdk.stop());
afterAll(() => setApiLoader());

const recordedNothing = async () => {
  expect([...(await sdk.metrics()).values()].filter((m) => m.dataPoints.length > 0)).toEqual([]);
  expect(sdk.spans()).toEqual([]);
};
const notFound = (code: string) => () => Promise.reject(Object.assign(new Error("Cannot find package '@opentelemetry/api' imported from calling-bot.js"), { code }));

describe('when @opentelemetry/api cannot be loaded', () => {
  it.each(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'])('not installed (%s): the bot works, records nothing and says nothing', async (code) => {
    setApiLoader(notFound(code));
    const { logger, lines } = capturingLogger();
    const bot = suite.newBot({ logger });
    await expect(loadApi()).resolves.toEqual({ missing: true });
    await realisticRun(bot);
    await recordedNothing();
    expect(lines.filter((l) => l.fields['reason'] === 'telemetry_unavailable')).toEqual([]);
  });

  it('a package that really is not there counts as not installed', async () => {
    const specifier = '@graph-comms/no-such-package-' + 'for-this-test';
    setApiLoader(() => import(specifier));
    await expect(loadApi()).resolves.toEqual({ missing: true });
  });

  const throwing = (message: string) => () => {
    throw new Error(message);
  };
  it.each<[string, ApiLoader, string]>([
    ['a module without the API', () => Promise.resolve({ metrics: {} }), 'has no metrics.getMeter and trace.getTracer'],
    ['a loader that throws', throwing('loader broke'), 'loader broke'],
    ['a module that fails to evaluate', () => Promise.reject(new SyntaxError('Unexpected token')), 'Unexpected token'],
    ['an API whose meter cannot be made', () => Promise.resolve({ ...otelApi, metrics: { getMeter: throwing('no meter today') } }), 'no meter today'],
  ])('%s: the bot works and records nothing, with one warning', async (_name, loader, problem) => {
    setApiLoader(loader);
    const { logger, lines } = capturingLogger();
    const bot = suite.newBot({ logger });
    await loadApi();
    await realisticRun(bot);
    await recordedNothing();
    const warnings = lines.filter((l) => l.fields['reason'] === 'telemetry_unavailable');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 'warn', fields: { err: expect.stringContaining(problem) }, message: expect.stringContaining('no metrics or traces') });
  });

  it('a logger that throws on that warning leaves nothing unhandled', async () => {
    setApiLoader(() => Promise.resolve({}));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const fail = () => {
        throw new Error('the log is full');
      };
      const bot = suite.newBot({ logger: { debug: fail, info: fail, warn: fail, error: fail } });
      await loadApi();
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      expect(await bot.handleRequest(callbackRequest(established(CALL)))).toEqual({ status: 202 });
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('loading the API', () => {
  it('happens once per process, whatever the number of bots', async () => {
    let loads = 0;
    setApiLoader(() => (loads++, Promise.resolve(otelApi)));
    suite.newBot();
    suite.newBot();
    await loadApi();
    suite.newBot();
    expect(loads).toBe(1);
  });

  it('does not hold the bot up: it records from the moment the API has loaded', async () => {
    let release: (api: unknown) => void = () => undefined;
    setApiLoader(() => new Promise((resolve) => (release = resolve)));
    const bot = suite.newBot();
    expect(await bot.handleRequest(callbackRequest(established(CALL)))).toEqual({ status: 202 });
    await recordedNothing();
    release(otelApi);
    await loadApi();
    expect(await bot.handleRequest(callbackRequest(established(CALL)))).toEqual({ status: 202 });
    const points = await sdk.points('graph_comms.callbacks');
    expect(points.map((p) => [p.attributes, p.value])).toEqual([[{ 'http.response.status_code': 202 }, 1]]);
  });

  it('takes the API from a namespace that has it on default only (CommonJS seen from ESM)', async () => {
    setApiLoader(() => Promise.resolve({ default: otelApi }));
    expect(await loadApi()).toEqual({ api: otelApi });
  });
});
