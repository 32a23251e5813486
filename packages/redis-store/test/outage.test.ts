import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { CallingBot, StoreError, type CallRecord } from '@graph-comms/core';
import { RedisCallStore } from '@graph-comms/redis-store';
import { FakeGraph } from '../../../test/helpers/fake-graph.js';
import { seed } from '../../../test/helpers/fixtures.js';
import { recordEvents } from '../../../test/helpers/recorder.js';
import { record } from './helpers/records.js';
import { RedisServer } from './helpers/redis-server.js';

const CALL = 'ab6233a5-20b7-4c5e-bea2-ce56c9776429';
let server: RedisServer;
let graph: FakeGraph;
const closers: Array<() => Promise<void>> = [];
beforeAll(async () => {
  server = await RedisServer.start();
  graph = await FakeGraph.start();
  graph.script = () => ({ status: 200, body: seed('ex1-invite-one', 'response') });
});
afterEach(async () => {
  server.unpause();
  await server.resume();
  await Promise.all(closers.splice(0).map((close) => close()));
  await server.command('FLUSHALL');
});
afterAll(async () => {
  await graph.close();
  await server.kill();
});

function bot(withGraph: boolean, commandTimeoutMs = 500): CallingBot {
  const b = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store: new RedisCallStore({ url: server.url, commandTimeoutMs }), ...(withGraph ? { graphClient: graph.client() } : {}) });
  closers.push(() => b.close());
  return b;
}

async function inviteOne(sender: CallingBot) {
  const request = seed('ex1-invite-one', 'request');
  delete request.participants[0].replacesCallId;
  return sender.invite(CALL, request);
}

const callback = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Waits until the store answers again (ioredis reconnects at most a second apart). */
async function untilBack(b: CallingBot): Promise<void> {
  const until = Date.now() + 5000;
  for (;;) {
    try {
      await b.getCall(CALL);
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function timeOf(promise: Promise<unknown>): Promise<number> {
  const started = Date.now();
  await promise.catch(() => undefined);
  return Date.now() - started;
}

describe('Redis stopped, then started again on the same port', () => {
  it('fails fast with StoreError and 503 while it is down, then applies the redelivered callbacks once', async () => {
    const sender = bot(true);
    const receiver = bot(false);
    const sent = recordEvents(sender);
    const received = recordEvents(receiver);
    const invitation = await inviteOne(sender);

    await server.stop();
    const update = receiver.store.updateCall(CALL, () => ({ record: record(CALL), effects: [], value: undefined }));
    await expect(update).rejects.toBeInstanceOf(StoreError);
    expect(await timeOf(receiver.store.updateCall(CALL, () => ({ record: record(CALL), effects: [], value: undefined })))).toBeLessThan(250);
    const processing = receiver.processNotifications(seed('ex1-invite-one', 'notification-roster'));
    await expect(processing).rejects.toBeInstanceOf(StoreError);
    expect(await timeOf(receiver.processNotifications(seed('ex1-invite-one', 'notification-roster')))).toBeLessThan(250);
    const refused = await receiver.handleRequest(callback(seed('ex1-invite-one', 'notification-operation')));
    expect(refused).toMatchObject({ status: 503, headers: { 'retry-after': '1' }, body: { error: { code: 'store_unavailable' } } });
    expect(received.events).toEqual([]);
    expect(received.errors.map((e) => e.source)).toContain('store');

    await server.resume();
    await untilBack(receiver);
    // Graph delivers again, in order; and once more, as it may.
    for (const part of ['notification-roster', 'notification-operation', 'notification-operation'] as const) {
      expect(await receiver.handleRequest(callback(seed('ex1-invite-one', part)))).toEqual({ status: 202 });
    }
    await expect(invitation.completion).resolves.toMatchObject({ status: 'completed' });
    expect(received.names()).toEqual(['rosterUpdated', 'operationCompleted']);
    expect(sent.events).toEqual([]);
  });

  it('resolves the sender’s completion even when its subscriber was reconnecting as the outcome was published', async () => {
    const sender = bot(true);
    const receiver = bot(false);
    const invitation = await inviteOne(sender);
    await receiver.processNotifications(seed('ex1-invite-one', 'notification-roster'));
    await server.command('CLIENT KILL TYPE pubsub'); // both subscribers drop and come back
    await receiver.processNotifications(seed('ex1-invite-one', 'notification-operation'));
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([invitation.completion, new Promise((resolve) => (timer = setTimeout(() => resolve('not resolved'), 3000)))]);
    clearTimeout(timer);
    expect(outcome).toMatchObject({ status: 'completed' });
  });
});

describe('Redis paused (a hung server)', () => {
  it('gives up after commandTimeoutMs, and the write that reaches Redis late is not applied', async () => {
    const store = new RedisCallStore({ logger: false, url: server.url, commandTimeoutMs: 400 });
    closers.push(() => store.close());
    await store.updateCall('hung', () => ({ record: record('hung', { recent: ['before'] }), effects: [], value: undefined }));
    let runs = 0;
    const attempt = store.updateCall('hung', (current: CallRecord | undefined) => {
      if (++runs === 1) server.pause(); // between this run's read and its write
      return { record: { ...current!, recent: [...current!.recent, 'late'] }, effects: [], value: runs };
    });
    const elapsed = timeOf(attempt);
    await expect(attempt).rejects.toBeInstanceOf(StoreError);
    expect(await elapsed).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    server.unpause(); // Redis now runs the write it had received: too late, so refused
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await store.getCall('hung'))!.recent).toEqual(['before']);
    const redone = await store.updateCall('hung', (current) => ({ record: { ...current!, recent: [...current!.recent, 'again'] }, effects: [], value: undefined }));
    expect(redone.record!.recent).toEqual(['before', 'again']);
    expect((await store.getCall('hung'))!.recent).toEqual(['before', 'again']);
  });

  it('rejects processNotifications within about commandTimeoutMs, and the redelivery fires its event once', async () => {
    const receiver = bot(false, 300);
    const received = recordEvents(receiver);
    server.pause();
    const processing = receiver.processNotifications(seed('ex1-invite-one', 'notification-roster'));
    const elapsed = timeOf(processing);
    await expect(processing).rejects.toBeInstanceOf(StoreError);
    expect(await elapsed).toBeLessThan(1000);
    server.unpause();
    await receiver.processNotifications(seed('ex1-invite-one', 'notification-roster'));
    await receiver.processNotifications(seed('ex1-invite-one', 'notification-roster'));
    expect(received.names()).toEqual(['rosterUpdated']);
  });
});
