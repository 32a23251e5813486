import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeGraph, type Received } from '../../../test/helpers/fake-graph.js';
import { BotProcess } from './helpers/bot-processes.js';
import { buildPackages } from './helpers/build.js';
import { RedisServer } from './helpers/redis-server.js';
import { sharded } from './helpers/stored.js';
import { Redis } from 'ioredis';

// Three bot processes share one Redis and its keepAlive deadlines: whichever process heard a
// call established, each of its keepAlives goes out once, from one of them, and a process that
// dies takes no call's keepAlives with it. Bounds follow from the schedule (a call's next
// keepAlive is due one interval after the previous one was claimed), never from machine speed.
const INTERVAL = 200;
const WINDOW = 2000;
const CALLS = Array.from({ length: 6 }, (_, i) => `${i}${i}${i}${i}${i}${i}${i}${i}-5a5a-4b4b-8c8c-00000000000${i}`);

let redis: RedisServer;
let graph: FakeGraph;
let bots: BotProcess[] = [];
let reader: Redis;

beforeAll(async () => {
  buildPackages(); // the children import dist/
  redis = await RedisServer.start();
  reader = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  graph = await FakeGraph.start();
  graph.script = (request) => (request.path.endsWith('/keepAlive') ? { status: 200 } : { status: 202 });
  bots = await Promise.all(['ka-a', 'ka-b', 'ka-c'].map((name) => BotProcess.start(name, redis.url, graph.url, { keepAliveIntervalMs: INTERVAL })));
}, 120_000);

afterAll(async () => {
  await Promise.all(bots.map((b) => b.kill()));
  await graph?.close();
  reader?.disconnect();
  await redis?.kill();
});

/** Whether a deadline key is a keepAlive's (the engine names them `["ka",<callId>,""]`; the design note `ka\n<callId>`). */
const isKeepAlive = (key: string): boolean => key.startsWith('ka\n') || key.startsWith('["ka",');
/** How many calls have a keepAlive deadline in the store. */
const keepAliveDeadlines = async (): Promise<number> => [...(await sharded(reader, 'deadlines')).keys()].filter(isKeepAlive).length;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const callNotification = (callId: string, changeType: string, state: string, extra: Record<string, unknown> = {}) => ({
  value: [{ changeType, resourceUrl: `/communications/calls/${callId}`, resourceData: { '@odata.type': '#microsoft.graph.call', id: callId, state, ...extra } }],
});

/** Graph's side: one callback POSTed to one process, which must accept it. */
async function deliver(bot: BotProcess, body: unknown): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${bot.port}/api/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await res.arrayBuffer();
  expect(res.status).toBe(202);
}

const keepAlives = (callId?: string): Received[] =>
  graph.received.filter((r) => r.method === 'POST' && r.path.endsWith('/keepAlive') && (callId === undefined || r.path === `/v1.0/communications/calls/${callId}/keepAlive`));
const senderOf = (r: Received): string => String(r.headers['x-bot-process']);

/** The keepAlives of each call, and of each process, sent during `ms`. */
async function countOver(ms: number): Promise<{ perCall: number[]; bySender: Map<string, number>; elapsed: number }> {
  const from = graph.received.length;
  const start = Date.now();
  await sleep(ms);
  const sent = graph.received.slice(from).filter((r) => r.path.endsWith('/keepAlive'));
  const elapsed = Date.now() - start;
  const bySender = new Map<string, number>();
  for (const r of sent) bySender.set(senderOf(r), (bySender.get(senderOf(r)) ?? 0) + 1);
  return { perCall: CALLS.map((c) => sent.filter((r) => r.path === `/v1.0/communications/calls/${c}/keepAlive`).length), bySender, elapsed };
}

function expectOnePerInterval(perCall: number[], elapsed: number): void {
  for (const count of perCall) {
    expect(count).toBeGreaterThanOrEqual(3);
    // One per interval, plus one of slack for a keepAlive under way at either edge of the window.
    expect(count).toBeLessThanOrEqual(Math.floor(elapsed / INTERVAL) + 2);
  }
}

describe('keepAlive across three processes on one Redis', () => {
  it('sends one keepAlive per call per interval among them, and goes on after one is killed', async () => {
    const started = Date.now();
    // Each call is established through a different process; some hear it twice, from two.
    for (const [i, call] of CALLS.entries()) {
      await deliver(bots[i % 3]!, callNotification(call, 'updated', 'establishing'));
      await deliver(bots[(i + 1) % 3]!, callNotification(call, 'updated', 'established'));
      if (i % 2 === 0) await deliver(bots[(i + 2) % 3]!, callNotification(call, 'updated', 'established'));
    }
    await Promise.all(bots.map((b) => b.flush()));
    const established = bots.flatMap((b) => b.messages.filter((m) => m.type === 'event' && m.event === 'callEstablished'));
    expect(established.map((m) => m.callId).sort()).toEqual([...CALLS].sort());
    expect(await keepAliveDeadlines()).toBe(CALLS.length);

    await sleep(INTERVAL * 2);
    const before = await countOver(WINDOW);
    expectOnePerInterval(before.perCall, before.elapsed);

    // Kill the process that sent the most: the others must take its calls over.
    const [busiest] = [...before.bySender.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const victim = bots.find((b) => b.name === busiest)!;
    await victim.kill();
    await sleep(INTERVAL * 3); // a keepAlive it had claimed when it died is late by one interval
    const after = await countOver(WINDOW);
    expectOnePerInterval(after.perCall, after.elapsed);
    expect(after.bySender.has(victim.name)).toBe(false);
    expect([...after.bySender.keys()].every((name) => bots.some((b) => b.name === name && b.alive))).toBe(true);

    // The calls end, through the survivors: the schedule empties and the keepAlives stop.
    const survivors = bots.filter((b) => b.alive);
    for (const [i, call] of CALLS.entries()) {
      await deliver(survivors[i % survivors.length]!, callNotification(call, 'deleted', 'terminated', { resultInfo: { code: 200, subcode: 5001, message: 'ended' } }));
    }
    expect(await keepAliveDeadlines()).toBe(0);
    await sleep(INTERVAL * 2);
    const settled = keepAlives().length;
    await sleep(INTERVAL * 4);
    expect(keepAlives()).toHaveLength(settled);

    await Promise.all(survivors.map((b) => b.flush()));
    expect(survivors.flatMap((b) => b.messages.filter((m) => m.type === 'error'))).toEqual([]);
    const terminatedEvents = survivors.flatMap((b) => b.messages.filter((m) => m.type === 'event' && m.event === 'callTerminated'));
    expect(terminatedEvents.map((m) => m.callId).sort()).toEqual([...CALLS].sort());
    // The survivors close their bots and exit by themselves: the keepAlive timers hold nothing open.
    expect(await Promise.all(survivors.map((b) => b.stop()))).toEqual([true, true]);
    process.stdout.write(
      `[redis-store] keepAlive, 3 processes, ${CALLS.length} calls, every ${INTERVAL} ms: before the kill ${JSON.stringify(Object.fromEntries(before.bySender))}, after ${JSON.stringify(Object.fromEntries(after.bySender))}; ${Date.now() - started} ms\n`,
    );
  }, 60_000);
});
