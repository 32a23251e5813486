import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CallingBot } from '@graph-comms/core';
import { RedisCallStore } from '@graph-comms/redis-store';
import { Redis } from 'ioredis';
import { FakeGraph } from '../../../test/helpers/fake-graph.js';
import { seed } from '../../../test/helpers/fixtures.js';
import { recordEvents } from '../../../test/helpers/recorder.js';
import { rebuiltInvitationWaitsForTheOutcome } from '../../../test/helpers/two-bots.js';
import { RedisServer } from './helpers/redis-server.js';

const CALL = 'ab6233a5-20b7-4c5e-bea2-ce56c9776429';
let server: RedisServer;
let graph: FakeGraph;
beforeAll(async () => {
  server = await RedisServer.start();
  graph = await FakeGraph.start();
  graph.script = () => ({ status: 200, body: seed('ex1-invite-one', 'response') });
});
afterAll(async () => {
  await graph.close();
  await server.kill();
});

describe('two bots, each with its own RedisCallStore on one Redis', () => {
  it('resolves the completion in the sender when the callback lands on the other bot, and fires each event once', async () => {
    const published: string[] = [];
    const spy = new Redis(server.url);
    spy.on('message', (_channel: string, message: string) => void published.push(message));
    await spy.subscribe('graph-comms:outcomes');

    const sender = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store: new RedisCallStore({ url: server.url }), graphClient: graph.client() });
    const receiver = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store: new RedisCallStore({ url: server.url }) });
    const sent = recordEvents(sender);
    const received = recordEvents(receiver);
    const request = seed('ex1-invite-one', 'request');
    delete request.participants[0].replacesCallId;
    const invitation = await sender.invite(CALL, request);

    await receiver.processNotifications(seed('ex1-invite-one', 'notification-roster'));
    await receiver.processNotifications(seed('ex1-invite-one', 'notification-operation'));
    await sender.processNotifications(seed('ex1-invite-one', 'notification-operation')); // a repeat landing on the sender

    await expect(invitation.completion).resolves.toMatchObject({ status: 'completed' });
    expect(published).toHaveLength(1);
    expect(JSON.parse(published[0]!)).toMatchObject({ callId: CALL, clientContext: invitation.clientContext, outcome: { status: 'completed' } });
    expect(sent.events).toHaveLength(0);
    expect(received.names()).toEqual(['rosterUpdated', 'operationCompleted']);
    const [completed] = received.of('operationCompleted');
    // The receiver rebuilds the invitation from the shared record.
    expect(completed!.invitation).toMatchObject({ clientContext: invitation.clientContext, id: invitation.id, participants: request.participants });
    expect(received.of('rosterUpdated')[0]!.joined).toHaveLength(1);
    expect(sent.errors).toEqual([]);
    expect(received.errors).toEqual([]);
    // Both see the same record, and the clientContext is free again.
    expect(await sender.getCall(CALL)).toEqual(await receiver.getCall(CALL));
    expect((await sender.getCall(CALL))!.operations.find((o) => o.key === `c:${invitation.clientContext}`)).toMatchObject({ status: 'completed', kind: 'invite', sent: true });
    expect(await server.command(`EXISTS graph-comms:ctx:${invitation.clientContext}`)).toBe(':0\r\n');

    await sender.close();
    await receiver.close();
    spy.disconnect();
  });

  it('refuses a clientContext that another bot holds for a pending invite', async () => {
    const a = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store: new RedisCallStore({ url: server.url }), graphClient: graph.client() });
    const b = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store: new RedisCallStore({ url: server.url }), graphClient: graph.client() });
    const request = { ...seed('ex1-invite-one', 'request'), clientContext: 'held-by-a' };
    delete request.participants[0].replacesCallId;
    await a.invite('call-held', request);
    await expect(b.invite('call-held', request)).rejects.toMatchObject({ name: 'InviteValidationError', rule: 'clientContext.pending' });
    await a.close();
    await b.close();
  });

  it.each(['sender', 'other'] as const)('gives the other bot a rebuilt invitation that resolves with the real outcome (outcome on the %s)', async (where) => {
    await rebuiltInvitationWaitsForTheOutcome(graph, () => [new RedisCallStore({ logger: false, url: server.url, keyPrefix: `rebuilt-${where}:` }), new RedisCallStore({ url: server.url, keyPrefix: `rebuilt-${where}:` })], where);
  });

  it('settles the sender’s completion when Redis lost the record before the outcome (restarted empty)', async () => {
    const sender = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store: new RedisCallStore({ url: server.url, keyPrefix: 'lost:' }), graphClient: graph.client() });
    const rec = recordEvents(sender);
    const request = seed('ex1-invite-one', 'request');
    delete request.participants[0].replacesCallId;
    const invitation = await sender.invite(CALL, request);
    await server.command('FLUSHALL');
    await sender.processNotifications(seed('ex1-invite-one', 'notification-operation'));
    await expect(invitation.completion).resolves.toMatchObject({ status: 'completed' });
    expect(rec.of('operationCompleted').map((e) => [e.kind, e.sent === invitation])).toEqual([['invite', true]]);
    await sender.close();
  });

  it('reads a record whose call id the bot wrote in another form than the key', async () => {
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store: new RedisCallStore({ url: server.url, keyPrefix: 'forms:' }), graphClient: graph.client() });
    const request = seed('ex1-invite-one', 'request');
    delete request.participants[0].replacesCallId;
    await bot.invite(CALL.toUpperCase(), request);
    await bot.processNotifications(seed('ex1-invite-one', 'notification-operation'));
    expect((await bot.getCall(CALL))!.callId).toBe(CALL.toUpperCase());
    expect((await bot.getCall(CALL))!.operations[0]).toMatchObject({ status: 'completed' });
    await bot.close();
  });
});
