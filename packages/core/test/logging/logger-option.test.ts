import { describe, it, expect } from '@jest/globals';
import { CallingBot, createGraphTokenVerifier, silentLogger, type Logger } from '@graph-comms/core';
import { resolveOptions } from '../../../redis-store/src/options.js';
import { APP_ID, deadUrl } from '../auth/helpers.js';
import { established } from '../helpers/calls.js';
import { CALL, json, loggingSuite } from './bot.js';
import { withStderr } from './capture.js';

const suite = loggingSuite();

/** A refused callback (warn) and a listener that throws with nobody on `error` (error). */
async function refuseAndFail(bot: CallingBot): Promise<void> {
  bot.on('callEstablished', () => {
    throw new Error('listener broke');
  });
  expect((await bot.handleRequest({ headers: { ...json, authorization: 'Bearer not-a-jwt' }, body: '{}' })).status).toBe(401);
  await bot.processNotifications(established(CALL));
}

describe('the logger option of CallingBot', () => {
  it('defaults to the console logger at warn: both lines reach stderr', async () => {
    const lines = await withStderr(async (stderr) => {
      await refuseAndFail(suite.newBot(undefined));
      return stderr.lines();
    });
    expect(lines).toEqual([expect.stringMatching(/^WARN graph-comms: callback refused: bearer token not accepted \{"reason":"malformed_token"\}$/), expect.stringMatching(/^ERROR graph-comms: a callEstablished listener threw/)]);
  });

  it('false writes nothing', async () => {
    const lines = await withStderr(async (stderr) => {
      await refuseAndFail(suite.newBot(false));
      return stderr.lines();
    });
    expect(lines).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an object without the four methods', { info: () => undefined, warn: () => undefined, error: () => undefined }],
    ['a string', 'debug'],
    ['true', true],
  ])('refuses %s with a TypeError', (_name, logger) => {
    expect(() => new CallingBot({ appId: APP_ID, tokenVerifier: false, logger: logger as Logger })).toThrow(
      new TypeError('CallingBot: logger must have debug, info, warn and error methods (a pino logger fits), or be false for none'),
    );
  });
});

describe('the logger option of createGraphTokenVerifier', () => {
  const keysUnavailable = async (logger: Logger | false | undefined): Promise<string[]> => {
    const openIdConfigurationUrl = await deadUrl();
    return withStderr(async (stderr) => {
      const verifier = createGraphTokenVerifier({ appId: APP_ID, openIdConfigurationUrl, timeoutMs: 1000, ...(logger === undefined ? {} : { logger }) });
      await expect(verifier.verify(`Bearer ${suite.token}`)).rejects.toMatchObject({ code: 'keys_unavailable' });
      return stderr.lines();
    });
  };

  it('defaults to the console logger: a key download failure reaches stderr', async () => {
    expect(await keysUnavailable(undefined)).toEqual([expect.stringMatching(/^WARN graph-comms: OpenID configuration download failed /)]);
  });

  it('false writes nothing', async () => {
    expect(await keysUnavailable(false)).toEqual([]);
  });

  it('refuses a logger that is not one', () => {
    expect(() => createGraphTokenVerifier({ appId: APP_ID, logger: {} as Logger })).toThrow(/^createGraphTokenVerifier: logger must have debug, info, warn and error methods/);
  });
});

describe('the logger option of RedisCallStore', () => {
  it('defaults to the console logger at warn, and false is the silent logger', async () => {
    const lines = await withStderr((stderr) => {
      const { logger } = resolveOptions({});
      logger.info({ connection: 'commands' }, 'Redis reachable again');
      logger.warn({ connection: 'commands' }, 'Redis unreachable');
      return stderr.lines();
    });
    expect(lines).toEqual(['WARN graph-comms: Redis unreachable {"connection":"commands"}']);
    expect(resolveOptions({ logger: false }).logger).toBe(silentLogger);
    const own: Logger = { ...silentLogger };
    expect(resolveOptions({ logger: own }).logger).toBe(own);
  });
});
