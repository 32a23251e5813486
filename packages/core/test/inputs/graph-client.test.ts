import { describe, it, expect } from '@jest/globals';
import { Client } from '@microsoft/microsoft-graph-client';
import { CallingBot } from '@graph-comms/core';
import { botsWithFakeGraph } from '../../../../test/helpers/bots.js';

const suite = botsWithFakeGraph();
const make = (graphClient: unknown) => new CallingBot({ appId: 'app', tokenVerifier: false, logger: false, graphClient: graphClient as Client });

describe('the graphClient option', () => {
  it.each([
    ['an empty object', {}, 'an object without an api() method ({})'],
    ['null', null, 'null'],
    ['a string', 'https://graph.microsoft.com', 'string'],
    ['a number', 42, 'number'],
    ['an array', [], 'an array'],
    ['an object whose api is not a function', { api: '/communications' }, 'an object without an api() method'],
    ['the Client class itself, not an instance', Client, 'function'],
  ])('refuses %s when the bot is made, naming the option', (_what, graphClient, got) => {
    expect(() => make(graphClient)).toThrow(TypeError);
    expect(() => make(graphClient)).toThrow(`CallingBot: graphClient must be a @microsoft/microsoft-graph-client Client (Client.init(...) or Client.initWithMiddleware(...)), got ${got}`);
  });

  it('takes a Client, and sends through it', async () => {
    suite.graph.script = () => ({ status: 200, body: { id: 'op', status: 'running' } });
    const bot = suite.newBot({ graphClient: suite.graph.client() });
    await bot.call('call-1').subscribeToTone();
    expect(suite.graph.received).toHaveLength(1);
  });

  it('may be left out: requests then fail with graph_client_missing, not as an unreachable Graph', async () => {
    const bot = suite.newBot({ graphClient: undefined });
    await expect(bot.call('call-1').mute()).rejects.toMatchObject({ code: 'graph_client_missing' });
  });
});
