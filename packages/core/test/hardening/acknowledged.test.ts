import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { CallingBot, MemoryCallStore, type CommsNotifications } from '@graph-comms/core';
import { FakeGraph } from '../../../../test/helpers/fake-graph.js';
import { seed } from '../../../../test/helpers/fixtures.js';
import { recordEvents } from '../../../../test/helpers/recorder.js';
import { FailingStore } from './failing-store.js';

const PROMPT = { prompts: [{ mediaInfo: { uri: 'https://example.com/a.wav' } }] };
const running = { status: 200, body: { '@odata.type': '#microsoft.graph.playPromptOperation', id: 'op-1', status: 'running' } };
const done = (callId: string, clientContext: string): CommsNotifications => ({
  value: [{ changeType: 'deleted', resourceUrl: `/communications/calls/${callId}/operations/op-1`, resourceData: { '@odata.type': '#microsoft.graph.playPromptOperation', id: 'op-1', clientContext, status: 'completed' } }],
});
const roster = (callId: string, isMuted: boolean, seq?: number): CommsNotifications['value'][number] => ({
  changeType: 'updated',
  resourceUrl: `/communications/calls/${callId}/participants`,
  resourceData: [{ id: 'p1', isMuted, info: { identity: { user: { id: 'u1' } } }, ...(seq === undefined ? {} : { rosterSequenceNumber: seq }) }],
});
const headers = { 'content-type': 'application/json' };

let graph: FakeGraph;
beforeAll(async () => {
  graph = await FakeGraph.start();
  graph.script = () => running;
});
afterAll(() => graph.close());

describe('completions settle whatever the store lost', () => {
  it('settles from the registry when the call’s record was evicted before the outcome', async () => {
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, graphClient: graph.client(), store: new MemoryCallStore({ maxCalls: 1 }) });
    const rec = recordEvents(bot);
    const op = await bot.call('call-a').playPrompt(PROMPT);
    await bot.processNotifications({ value: [roster('call-b', false)] }); // call-a is evicted
    expect(await bot.getCall('call-a')).toBeUndefined();
    await bot.processNotifications(done('call-a', op.clientContext));
    await expect(op.completion).resolves.toMatchObject({ status: 'completed' });
    const [event] = rec.of('operationCompleted');
    expect(event).toMatchObject({ kind: 'playPrompt', clientContext: op.clientContext });
    expect(event!.sent).toBe(op);
    // The clientContext was freed: it can be used again at once.
    await expect(bot.call('call-a').playPrompt({ ...PROMPT, clientContext: op.clientContext })).resolves.toMatchObject({ status: 'running' });
    await bot.close();
  });

  it('times out from the registry when the record is gone and no outcome comes', async () => {
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, graphClient: graph.client(), store: new MemoryCallStore({ maxCalls: 1 }), operationTimeoutMs: 100 });
    const op = await bot.call('call-a').playPrompt(PROMPT);
    await bot.processNotifications({ value: [roster('call-b', false)] });
    await expect(op.completion).resolves.toMatchObject({ status: 'timedOut' });
    await bot.close();
  });
});

describe('nothing is acknowledged that was not recorded', () => {
  it('answers 503 when marking the replaced peer-to-peer call fails, and p2pReplaced still fires once on redelivery', async () => {
    const store = new FailingStore();
    graph.script = () => ({ status: 200, body: seed('ex3-replace-p2p', 'response') });
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, graphClient: graph.client(), store });
    const rec = recordEvents(bot);
    const request = seed('ex3-replace-p2p', 'request');
    const replaced: string = request.participants[0].replacesCallId;
    const group = seed('ex3-replace-p2p', 'notification-operation').value[0].resourceUrl.split('/')[3];
    await bot.invite(group, request);
    await bot.processNotifications({ value: [{ changeType: 'deleted', resourceUrl: `/communications/calls/${replaced}`, resourceData: { state: 'terminated' } }] });
    store.failWhen = (callId) => callId === replaced;
    const outcome = JSON.stringify(seed('ex3-replace-p2p', 'notification-operation'));
    await expect(bot.handleRequest({ headers, body: outcome })).resolves.toMatchObject({ status: 503 });
    expect(rec.of('p2pReplaced')).toHaveLength(0);
    store.failWhen = () => false;
    await expect(bot.handleRequest({ headers, body: outcome })).resolves.toMatchObject({ status: 202 });
    await bot.handleRequest({ headers, body: outcome });
    expect(rec.of('p2pReplaced')).toHaveLength(1);
    expect(rec.of('operationCompleted')).toHaveLength(1);
    graph.script = () => running;
    await bot.close();
  });

  it('stops the rest of a call’s notifications in a body after one of them failed to be written', async () => {
    const store = new FailingStore();
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store });
    await bot.processNotifications({ value: [roster('call-m', false, 1)] });
    let failNext = true;
    store.failWhen = () => (failNext ? ((failNext = false), true) : false);
    const body = { value: [roster('call-m', true, 2), roster('call-m', false, 3), roster('call-other', true, 1)] };
    await expect(bot.processNotifications(body)).rejects.toMatchObject({ code: 'store_unavailable' });
    // The unmute was not applied ahead of the mute; the other call's notification was.
    expect((await bot.getCall('call-m'))!.roster[0]!.participant.isMuted).toBe(false);
    expect((await bot.getCall('call-m'))!.roster[0]!.seq).toBe(1);
    expect(await bot.getCall('call-other')).toBeDefined();
    // Graph delivers the body again: mute then unmute, in order.
    await bot.processNotifications(body);
    expect((await bot.getCall('call-m'))!.roster[0]!.participant.isMuted).toBe(false);
    expect((await bot.getCall('call-m'))!.roster[0]!.seq).toBe(3);
    await bot.close();
  });
});
