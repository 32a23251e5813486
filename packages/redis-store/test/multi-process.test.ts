import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FakeGraph } from '../../../test/helpers/fake-graph.js';
import { BotProcess, type FromBot } from './helpers/bot-processes.js';
import { buildPackages } from './helpers/build.js';
import { inviteRequest, inviteResponse, operationNotification, rosterNotification, type PlannedInvite } from './helpers/payloads.js';
import { Proxy } from './helpers/proxy.js';
import { RedisServer } from './helpers/redis-server.js';

// Three bot processes behind one load-balanced callback URL, sharing one Redis: the "Done when"
// of the redis-store issue. Invites go out from one process; Graph's callbacks (played by this
// test, through the proxy) land anywhere; one process is killed and Redis is stopped mid-run.
const CALLS = 4;
const INVITES_PER_CALL = 3;

let redis: RedisServer;
let graph: FakeGraph;
let proxy: Proxy;
let bots: BotProcess[] = [];
const planned: PlannedInvite[] = [];
for (let c = 0; c < CALLS; c++) {
  for (let i = 0; i < INVITES_PER_CALL; i++) {
    const n = c * INVITES_PER_CALL + i;
    planned.push({ callId: `call-${c}-0000-4000-8000-000000000000`, user: `user-${n}`, clientContext: `ctx-${n}`, operationId: `op-${n}` });
  }
}

beforeAll(async () => {
  buildPackages(); // the children import dist/
  redis = await RedisServer.start();
  graph = await FakeGraph.start();
  graph.script = (request) => {
    const body = request.body as { clientContext: string; participants: unknown[] };
    const invite = planned.find((p) => p.clientContext === body.clientContext)!;
    return { status: 200, body: inviteResponse(body, invite.operationId) };
  };
  bots = await Promise.all(['bot-a', 'bot-b', 'bot-c'].map((name) => BotProcess.start(name, redis.url, graph.url)));
  proxy = await Proxy.start(bots.map((b) => b.port));
}, 120_000);

afterAll(async () => {
  await Promise.all(bots.map((b) => b.kill()));
  await proxy?.close();
  await graph?.close();
  await redis?.kill();
});

/** Graph's side: POST until the callback is accepted (202), as Graph redelivers after a 503. */
let refusals = 0;
async function deliver(body: unknown): Promise<void> {
  const until = Date.now() + 15_000;
  for (;;) {
    const res = await fetch(proxy.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await res.arrayBuffer();
    if (res.status === 202) return;
    if (res.status !== 503) throw new Error(`callback answered ${res.status}`);
    refusals++;
    if (Date.now() > until) throw new Error('callback still refused after 15 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The callbacks of one round: per call, in order, the roster with one more participant, then the final operation (delivered twice, as Graph may). */
async function round(r: number): Promise<void> {
  await Promise.all(
    Array.from({ length: CALLS }, async (_, c) => {
      const invite = planned[c * INVITES_PER_CALL + r]!;
      const users = planned.slice(c * INVITES_PER_CALL, c * INVITES_PER_CALL + r + 1).map((p) => p.user);
      await deliver(rosterNotification(invite.callId, users));
      await deliver(operationNotification(invite));
      await deliver(operationNotification(invite));
    }),
  );
}

const all = (type: FromBot['type']): FromBot[] => bots.flatMap((b) => b.messages.filter((m) => m.type === type));
const events = (name: string): FromBot[] => all('event').filter((m) => m.event === name);

describe('three bot processes behind a load balancer, one Redis', () => {
  it('completes every invite once, in its sender, through a killed process and a Redis restart', async () => {
    const started = Date.now();
    const [sender, , victim] = bots as [BotProcess, BotProcess, BotProcess];
    for (const invite of planned) {
      sender.send({ type: 'invite', callId: invite.callId, request: inviteRequest(invite) });
      const answer = await sender.next((m) => (m.type === 'invited' || m.type === 'inviteFailed') && m.clientContext === invite.clientContext);
      expect(answer).toMatchObject({ type: 'invited', operationId: invite.operationId });
    }

    await round(0);
    await victim.flush(); // its events are in before it dies
    await victim.kill(); // the proxy now fails over to the two others
    await round(1);
    expect(proxy.stats.failovers).toBeGreaterThan(0);

    await redis.stop();
    const third = round(2); // refused with 503 while Redis is down; redelivered until accepted
    while (refusals < CALLS) await new Promise((resolve) => setTimeout(resolve, 20));
    await redis.resume();
    await third;

    // Every completion resolves in the sender, and nowhere else.
    for (const invite of planned) {
      await expect(sender.next((m) => m.type === 'completed' && m.clientContext === invite.clientContext, 5000)).resolves.toMatchObject({ status: 'completed' });
    }
    await new Promise((resolve) => setTimeout(resolve, 200)); // let any duplicate event arrive, if there were one
    expect(all('completed').every((m) => m.from === 'bot-a')).toBe(true);
    expect(all('completed')).toHaveLength(planned.length);

    // Each event exactly once across the three processes.
    const completed = events('operationCompleted');
    expect(completed.map((m) => m.clientContext).sort()).toEqual(planned.map((p) => p.clientContext).sort());
    expect(completed.every((m) => m.invitation === m.clientContext)).toBe(true); // correlated with its invite, wherever it landed
    const rosters = events('rosterUpdated');
    expect(rosters.flatMap((m) => m.added).sort()).toEqual(planned.map((p) => `p-${p.user}`).sort());
    expect(rosters).toHaveLength(planned.length);
    expect(all('event').filter((m) => m.event !== 'operationCompleted' && m.event !== 'rosterUpdated')).toEqual([]);
    expect(events('operationFailed')).toEqual([]);
    // The work was spread: the killed process and the survivors all answered callbacks.
    expect([...proxy.stats.answered.keys()].sort()).toEqual(bots.map((b) => b.port).sort());
    expect(new Set(all('event').map((m) => m.from)).size).toBeGreaterThanOrEqual(2);
    // The only errors are the store's, during the outage.
    expect(all('error').filter((m) => m.source !== 'store')).toEqual([]);
    expect(refusals).toBeGreaterThanOrEqual(CALLS);

    // The survivors close their bots and exit by themselves.
    expect(await Promise.all(bots.filter((b) => b.alive).map((b) => b.stop()))).toEqual([true, true]);
    const elapsed = Date.now() - started;
    process.stdout.write(`[redis-store] 3 processes, ${planned.length} invites, ${refusals} refusals (503) during the Redis outage, ${proxy.stats.failovers} failovers: ${elapsed} ms\n`);
    expect(elapsed).toBeLessThan(60_000);
  }, 60_000);
});
