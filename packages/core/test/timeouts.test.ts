import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import { CallingBot, type OperationOutcome } from '@graph-comms/core';
import { FakeGraph } from '../../../test/helpers/fake-graph.js';

let graph: FakeGraph;
beforeAll(async () => {
  graph = await FakeGraph.start();
  graph.script = () => ({ status: 200, body: { '@odata.type': '#microsoft.graph.playPromptOperation', id: 'op', status: 'running' } });
});
afterAll(() => graph.close());

const within = (p: Promise<OperationOutcome>, ms: number) => Promise.race([p, new Promise<'pending'>((r) => setTimeout(() => r('pending'), ms).unref())]);

describe('operation timeouts', () => {
  it('times out even when the timer fires before Date.now() reaches the deadline', async () => {
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, graphClient: graph.client(), operationTimeoutMs: 100 });
    const op = await bot.call('call-t').playPrompt({ prompts: [{ mediaInfo: { uri: 'https://example.com/a.wav' } }] });
    // From now on Date.now() lags the loop's clock by 40 ms, as libuv's can lead it: the timer
    // fires while the deadline still looks 40 ms ahead.
    const real = Date.now.bind(Date);
    const lag = jest.spyOn(Date, 'now').mockImplementation(() => real() - 40);
    try {
      await expect(within(op.completion, 2000)).resolves.toMatchObject({ status: 'timedOut' });
    } finally {
      lag.mockRestore();
    }
    await bot.close();
  });
});
