import { describe, it, expect } from '@jest/globals';
import type { Logger } from '@graph-comms/core';
import { capturingLogger, established, incomingCall, terminated } from '../helpers/calls.js';
import { CALL, loggingSuite } from './bot.js';
import { sleep, waitFor, withStderr } from './capture.js';

const suite = loggingSuite();

describe('a listener that throws while nobody listens to error', () => {
  it('is logged at error with its stack, the other listeners still run, and the bot goes on', async () => {
    const { logger, lines } = capturingLogger();
    const bot = suite.newBot(logger);
    const heard: string[] = [];
    bot.on('callEstablished', function brokenListener() {
      throw new TypeError('cannot read the call');
    });
    bot.on('callEstablished', () => void heard.push('established'));
    bot.on('callTerminated', () => void heard.push('terminated'));
    await bot.processNotifications(established(CALL));
    await bot.processNotifications(terminated(CALL));
    expect(heard).toEqual(['established', 'terminated']);
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({ level: 'error', fields: { source: 'listener', event: 'callEstablished' }, message: 'a callEstablished listener threw (no "error" listener): cannot read the call' });
    const err = line!.fields['err'] as Error;
    expect(err).toBeInstanceOf(TypeError);
    expect(err.stack).toContain('brokenListener');
  });

  it('reaches stderr with its stack through the default console logger', async () => {
    const lines = await withStderr(async (stderr) => {
      const bot = suite.newBot(undefined);
      bot.on('callEstablished', async function rejectingListener() {
        await sleep(1);
        throw new Error('async listener broke');
      });
      await bot.processNotifications(established(CALL));
      await waitFor(() => stderr.lines().length > 0, 'the log line');
      return stderr.lines();
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ERROR graph-comms: a callEstablished listener threw \(no "error" listener\): async listener broke \{/);
    expect(lines[0]).toMatch(/at \S*rejectingListener \(/);
  });

  it('does not crash the process from a listener run after the callback was acknowledged (incomingCall)', async () => {
    const { logger, lines } = capturingLogger();
    const bot = suite.newBot(logger);
    bot.on('incomingCall', () => {
      throw new Error('incoming listener broke');
    });
    await bot.processNotifications(incomingCall(CALL));
    await waitFor(() => lines.length > 0, 'the log line');
    expect(lines).toEqual([expect.objectContaining({ level: 'error', fields: expect.objectContaining({ event: 'incomingCall', err: expect.any(Error) }) })]);
  });

  it('logs a thrown value that is not an Error, even one that cannot be turned into text', async () => {
    const { logger, lines } = capturingLogger();
    const bot = suite.newBot(logger);
    bot.on('callEstablished', () => {
      throw Object.create(null) as unknown;
    });
    await bot.processNotifications(established(CALL));
    expect(lines).toEqual([expect.objectContaining({ level: 'error', fields: expect.objectContaining({ err: expect.any(Error) }) })]);
  });

  it('survives a logger that throws', async () => {
    const broken: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => { throw new Error('logger down'); } };
    const bot = suite.newBot(broken);
    const heard: string[] = [];
    bot.on('callEstablished', () => {
      throw new Error('listener broke');
    });
    bot.on('callTerminated', () => void heard.push('terminated'));
    await bot.processNotifications(established(CALL));
    await bot.processNotifications(terminated(CALL));
    expect(heard).toEqual(['terminated']);
  });

  it('names the notification of a failed custom handler by its resource, never whole (it may carry a recordingAccessToken)', async () => {
    const { logger, lines } = capturingLogger();
    const bot = suite.newBot(logger);
    bot.use(() => {
      throw new Error('handler broke');
    });
    await bot.processNotifications(established(CALL));
    expect(lines).toEqual([{ level: 'error', fields: { source: 'handler', callId: CALL, resourceUrl: `/communications/calls/${CALL}`, err: expect.any(Error) }, message: expect.stringContaining('a custom handler failed') }]);
  });
});

describe('with an error listener', () => {
  it('a listener error goes to it and is not logged', async () => {
    const { logger, lines } = capturingLogger();
    const bot = suite.newBot(logger);
    const errors: Array<[Error, string]> = [];
    bot.on('error', (error, context) => void errors.push([error, context.source]));
    bot.on('callEstablished', () => {
      throw new Error('listener broke');
    });
    await bot.processNotifications(established(CALL));
    expect(errors).toEqual([[expect.objectContaining({ message: 'listener broke' }), 'listener']]);
    expect(lines).toEqual([]);
  });

  it('an error listener that throws, or rejects, is logged (event: error) instead of crashing', async () => {
    const { logger, lines } = capturingLogger();
    const bot = suite.newBot(logger);
    bot.on('error', () => {
      throw new Error('error listener broke');
    });
    bot.on('error', async () => {
      await sleep(1);
      throw new Error('async error listener broke');
    });
    bot.on('callEstablished', () => {
      throw new Error('listener broke');
    });
    await bot.processNotifications(established(CALL));
    await waitFor(() => lines.length >= 2, 'both log lines');
    await sleep(20);
    expect(lines.map((l) => [l.level, l.fields['event'], (l.fields['err'] as Error).message])).toEqual([
      ['error', 'error', 'error listener broke'],
      ['error', 'error', 'async error listener broke'],
    ]);
  });
});
