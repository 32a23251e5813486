import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { CallingBot, type CallingBotOptions } from '@graph-comms/core';
import { FakeGraph } from './fake-graph.js';

/**
 * For a test file: a scripted Graph server for the whole file, and a `newBot` whose bots (aimed
 * at that server, without token verification) are closed after each test.
 */
export function botsWithFakeGraph(defaults: Partial<CallingBotOptions> = {}) {
  const suite: { graph: FakeGraph; newBot: (options?: Partial<CallingBotOptions>) => CallingBot } = {
    graph: undefined as unknown as FakeGraph,
    newBot: (options = {}) => {
      // Quiet unless a test gives its own logger: these tests make Graph refuse on purpose.
      const bot = new CallingBot({ appId: 'bot-app-id', tokenVerifier: false, graphClient: suite.graph.client(), logger: false, ...defaults, ...options });
      bots.push(bot);
      return bot;
    },
  };
  let bots: CallingBot[] = [];
  beforeAll(async () => {
    suite.graph = await FakeGraph.start();
  });
  afterAll(() => suite.graph.close());
  afterEach(async () => {
    await Promise.all(bots.map((b) => b.close()));
    bots = [];
    suite.graph.received.length = 0;
  });
  return suite;
}
