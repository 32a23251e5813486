import { describe, it, expect } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@microsoft/microsoft-graph-client';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { CallingBot, GraphRequestError, type Logger } from '@graph-comms/core';
import { callbackRequest, established } from '../helpers/calls.js';
import { CALL, realisticRun, telemetrySuite } from './run.js';

const { suite, sdk } = telemetrySuite();

const named = (name: string) => sdk.spans().filter((s) => s.name === name);
const view = (name: string) => named(name).map((s) => ({ kind: s.kind, status: s.status.code, attributes: s.attributes }));

describe('callback spans', () => {
  it('one per callback: a server span with the status answered and the number of notifications', async () => {
    await realisticRun(suite.newBot());
    const spans = view('graph-comms callback');
    const ok = (notifications: number) => ({ kind: SpanKind.SERVER, status: SpanStatusCode.UNSET, attributes: { 'http.response.status_code': 202, 'graph_comms.callback.notifications': notifications } });
    expect(spans).toEqual([
      ok(1),
      ok(1),
      ok(1),
      ok(1),
      ok(2),
      // A body that is not JSON was never handed to the bot; a wrong type was refused before it was read.
      { kind: SpanKind.SERVER, status: SpanStatusCode.UNSET, attributes: { 'http.response.status_code': 400, 'graph_comms.callback.notifications': 0 } },
      { kind: SpanKind.SERVER, status: SpanStatusCode.UNSET, attributes: { 'http.response.status_code': 415, 'graph_comms.callback.notifications': 0 } },
    ]);
  });

  it('an error status on a 5xx answer: a closed bot answers 503', async () => {
    const bot = new CallingBot({ appId: 'bot-app-id', tokenVerifier: false, logger: false });
    await bot.close();
    expect((await bot.handleRequest(callbackRequest(established(CALL)))).status).toBe(503);
    const [span] = named('graph-comms callback');
    expect(span!.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'answered 503' });
    expect(span!.attributes).toEqual({ 'http.response.status_code': 503, 'graph_comms.callback.notifications': 1 });
    expect(byStatus(await sdk.points('graph_comms.callbacks'))).toEqual([[503, 1]]);
  });

  it('a callback that cannot be handled at all (its logger throws) ends its span in error, and the error reaches the caller', async () => {
    const throwing = () => {
      throw new Error('the log is full');
    };
    const logger: Logger = { debug: throwing, info: throwing, warn: throwing, error: throwing };
    const bot = suite.newBot({ logger });
    await expect(bot.handleRequest({ headers: { 'content-type': 'text/plain' }, body: 'x' })).rejects.toThrow('the log is full');
    const [span] = named('graph-comms callback');
    expect(span!.status).toMatchObject({ code: SpanStatusCode.ERROR });
    expect(span!.attributes).toEqual({ 'error.type': 'Error', 'graph_comms.callback.notifications': 0 });
    const points = await sdk.points('graph_comms.callbacks');
    expect(points.map((p) => [p.attributes, p.value])).toEqual([[{ 'error.type': 'Error' }, 1]]);
  });
});

const byStatus = (points: Array<{ attributes: Record<string, unknown>; value: unknown }>) => points.map((p) => [p.attributes['http.response.status_code'], p.value]);

describe('Graph request spans', () => {
  it('one per request: a client span named after the action, with method, path template and status', async () => {
    await realisticRun(suite.newBot());
    const request = (action: string, template: string, code: number) => ({
      kind: SpanKind.CLIENT,
      status: code < 400 ? SpanStatusCode.UNSET : SpanStatusCode.ERROR,
      attributes: { 'graph_comms.action': action, 'http.request.method': 'POST', 'url.template': template, 'http.response.status_code': code, ...(code < 400 ? {} : { 'error.type': String(code) }) },
    });
    expect(view('graph-comms invite')).toEqual([request('invite', '/communications/calls/{callId}/participants/invite', 200)]);
    expect(view('graph-comms subscribeToTone')).toEqual([request('subscribeToTone', '/communications/calls/{callId}/subscribeToTone', 200)]);
    expect(view('graph-comms playPrompt')).toEqual([request('playPrompt', '/communications/calls/{callId}/playPrompt', 403)]);
    expect(named('graph-comms playPrompt')[0]!.status.message).toBe('Graph answered 403');
  });

  it('names participant actions and DELETEs by their template too', async () => {
    const bot = suite.newBot();
    suite.graph.script = () => ({ status: 204 });
    await bot.call(CALL).participant('5f4c3e2d-1b0a-4c9d-8e7f-6a5b4c3d2e1f').remove();
    await bot.call(CALL).hangUp();
    expect(view('graph-comms removeParticipant').map((s) => s.attributes)).toEqual([
      { 'graph_comms.action': 'removeParticipant', 'http.request.method': 'DELETE', 'url.template': '/communications/calls/{callId}/participants/{participantId}', 'http.response.status_code': 204 },
    ]);
    expect(view('graph-comms hangUp').map((s) => s.attributes)).toEqual([{ 'graph_comms.action': 'hangUp', 'http.request.method': 'DELETE', 'url.template': '/communications/calls/{callId}', 'http.response.status_code': 204 }]);
  });

  it('a request that got no answer has no status, only the kind of its error', async () => {
    // A port that was free a moment ago: nothing listens there any more.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const graphClient = Client.init({ baseUrl: `http://127.0.0.1:${port}/`, authProvider: (done) => done(null, 'test-access-token') });
    const bot = suite.newBot({ graphClient });
    await expect(bot.call(CALL).keepAlive()).rejects.toBeInstanceOf(GraphRequestError);
    const [span] = named('graph-comms keepAlive');
    expect(span!.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'Graph could not be reached' });
    expect(span!.attributes).toEqual({ 'graph_comms.action': 'keepAlive', 'http.request.method': 'POST', 'url.template': '/communications/calls/{callId}/keepAlive', 'error.type': 'graph_unreachable' });
    const points = await sdk.points('graph_comms.graph_request.duration');
    expect(points.map((p) => p.attributes)).toEqual([{ 'graph_comms.action': 'keepAlive', 'error.type': 'graph_unreachable' }]);
  });

  it('a request refused before it is sent (a broken rule) has no span', async () => {
    const bot = suite.newBot();
    await expect(bot.call(CALL).playPrompt({ prompts: [] })).rejects.toMatchObject({ code: 'request_invalid' });
    expect(sdk.spans()).toEqual([]);
  });
});
