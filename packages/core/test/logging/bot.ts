import { beforeAll } from '@jest/globals';
import { Client, HTTPMessageHandler, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { createGraphTokenVerifier, type CallingBot, type CallingBotOptions, type Logger } from '@graph-comms/core';
import { botsWithFakeGraph } from '../../../../test/helpers/bots.js';
import type { FakeGraph } from '../../../../test/helpers/fake-graph.js';
import { APP_ID, makeKey, signToken, type TestKey } from '../auth/helpers.js';

/** The access token the bot's Graph client sends: it must never reach a log line. */
export const GRAPH_ACCESS_TOKEN = 'graph-access-token-7f3a9c1e5b2d4f6a8c0e1b3d5f7a9c2e';
export const CALL = '57dab8b1-894c-409a-b240-bd8beae78896';
export const json = { 'content-type': 'application/json' };

/**
 * Puts the access token on every request, as the Graph client's own handler does for Graph's
 * hosts only (never for http://127.0.0.1): so that there is a token for the logs to leak.
 */
class BearerOnEveryHost implements Middleware {
  #next: Middleware | undefined;

  async execute(context: Context): Promise<void> {
    const options = (context.options ??= {});
    const headers = new Headers(options.headers);
    headers.set('authorization', `Bearer ${GRAPH_ACCESS_TOKEN}`);
    options.headers = headers;
    await this.#next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.#next = next;
  }
}

/**
 * For a test file: a scripted Graph on 127.0.0.1, a signing key and a valid token, and `newBot`,
 * whose bots verify tokens against that key (their verifier logging to the same logger), send
 * their requests to the fake Graph, and are closed after each test.
 */
export function loggingSuite() {
  const base = botsWithFakeGraph({ appId: APP_ID });
  const suite = {
    get graph(): FakeGraph {
      return base.graph;
    },
    key: undefined as unknown as TestKey,
    token: '',
    newBot(logger: Logger | false | undefined, options: Partial<CallingBotOptions> = {}): CallingBot {
      const graphClient = Client.initWithMiddleware({ baseUrl: base.graph.url, middleware: [new BearerOnEveryHost(), new HTTPMessageHandler()] });
      const tokenVerifier = createGraphTokenVerifier({ appId: APP_ID, jwks: { keys: [suite.key.jwk] }, ...(logger === undefined ? {} : { logger }) });
      // `logger: undefined` overrides the quiet default: the bot then logs as with the option left out.
      return base.newBot({ tokenVerifier, graphClient, logger, ...options });
    },
  };
  beforeAll(async () => {
    suite.key = await makeKey('k1');
    suite.token = await signToken(suite.key);
  });
  return suite;
}

/** A one-notification body about the call's own resource. */
export const callUpdate = (state: string, changeType = 'updated') =>
  JSON.stringify({ value: [{ changeType, resourceUrl: `/communications/calls/${CALL}`, resourceData: { '@odata.type': '#microsoft.graph.call', id: CALL, state } }] });
