import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RedisCallStore } from '@graph-comms/redis-store';
import { FakeGraph } from '../../../test/helpers/fake-graph.js';
import { BotProcess, type FromBot } from './helpers/bot-processes.js';
import { post, reported as reportedBy, shown } from './helpers/callbacks.js';
import { buildPackages } from './helpers/build.js';
import { completionBody, crashPlan, crashReport, graphScript, promptRequest, type CrashPlan } from './helpers/crash-plan.js';
import { inviteRequest } from './helpers/payloads.js';
import { RedisServer } from './helpers/redis-server.js';

// Issue 14, "nothing committed is lost": process A writes the invite's completion and is killed
// (SIGKILL, by its store wrapper) before it emits anything. Its events must still fire once, in
// B or C: when Graph redelivers the body at once, after A's lease, or never (the stale-outbox
// sweep). C awaits the invite's completion; A's playPrompt times out in a survivor. Every wait is
// bounded by the lease, the poll and the timeout, plus slack.
const LEASE_MS = 1000;
const POLL_MS = 200;
const PROMPT_TIMEOUT_MS = 2500;
const SLACK_MS = 3000;
const BOT_OPTIONS = { outboxLeaseMs: LEASE_MS, deadlinePollMs: POLL_MS };
const CASES = ['at once', 'after the lease', 'never'] as const;
type Redelivery = (typeof CASES)[number];
const plans = CASES.map((_, n) => crashPlan(n));
// Effects that the engine tells as events, each with eventId `<entry id>:<index>`.
const EVENT_EFFECTS = new Set(['emit', 'operationFinished', 'rosterUpdated', 'participantMoved', 'incomingCall']);

let redis: RedisServer;
let graph: FakeGraph;
// Reads what the processes wrote (getCall only: it takes no part in the scenario).
let reader: RedisCallStore;
let dir: string;
let survivors: BotProcess[] = [];
const crashed: BotProcess[] = [];

beforeAll(async () => {
  buildPackages(); // the children import dist/
  redis = await RedisServer.start();
  reader = new RedisCallStore({ url: redis.url, logger: false });
  graph = await FakeGraph.start();
  graph.script = graphScript(plans);
  dir = mkdtempSync(join(tmpdir(), 'graph-comms-crash-'));
  survivors = await Promise.all(['crash-b', 'crash-c'].map((name) => BotProcess.start(name, redis.url, graph.url, BOT_OPTIONS)));
}, 120_000);

afterAll(async () => {
  await Promise.all([...survivors, ...crashed].map((b) => b.kill()));
  await reader?.close();
  await graph?.close();
  await redis?.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const isEventOf = (callId: string) => (m: FromBot) => m.type === 'event' && m.callId === callId;
const reported = (plan: CrashPlan, what: string, match: (m: FromBot) => boolean, timeoutMs: number): Promise<FromBot> => reportedBy(survivors, plan, what, match, timeoutMs);
async function crashCase(n: number, redelivery: Redelivery): Promise<void> {
  const plan = plans[n]!;
  const [b, c] = survivors as [BotProcess, BotProcess];
  const a = await BotProcess.start(`crash-a${n}`, redis.url, graph.url, { ...BOT_OPTIONS, operationTimeoutMs: PROMPT_TIMEOUT_MS }, { crashable: true });
  crashed.push(a);
  c.send({ type: 'invite', callId: plan.callId, request: inviteRequest(plan.invite) });
  expect(await c.next((m) => (m.type === 'invited' || m.type === 'inviteFailed') && m.clientContext === plan.invite.clientContext)).toMatchObject({ type: 'invited', operationId: plan.invite.operationId });
  a.send({ type: 'playPrompt', callId: plan.callId, request: promptRequest(plan) });
  expect(await a.next((m) => (m.type === 'started' || m.type === 'startFailed') && m.clientContext === plan.promptContext)).toMatchObject({ type: 'started', operationId: plan.promptOperationId });

  // A writes the invite's completion and dies: Graph sees the connection fail.
  const report = join(dir, `crash-${n}.json`);
  a.send({ type: 'crashOn', callId: plan.callId, effect: 'operationFinished', report });
  await a.flush();
  const body = completionBody(plan);
  await expect(post(a, body)).rejects.toThrow();
  expect(await a.exited()).toBe('SIGKILL');
  const crashedAt = Date.now();
  const [entry, ...others] = crashReport(report);
  expect(others).toEqual([]);
  const stored = await reader.getCall(plan.callId);
  expect(stored?.operations.find((op) => op.clientContext === plan.invite.clientContext)?.status).toBe('completed');

  if (redelivery === 'after the lease') await sleep(Math.max(0, entry!.leaseUntil - Date.now() + 1));
  if (redelivery !== 'never') expect(await post(b, body)).toBe(202);

  // C's completion resolves once a survivor took A's entry over: within the lease and a poll.
  const completion = await reported(plan, "C's completion of the invite", (m) => m.from === c.name && m.type === 'completed' && m.clientContext === plan.invite.clientContext, LEASE_MS + POLL_MS + SLACK_MS);
  expect(completion).toMatchObject({ status: 'completed' });
  const timedOut = await reported(plan, 'the playPrompt timeout', (m) => isEventOf(plan.callId)(m) && m.event === 'operationFailed', PROMPT_TIMEOUT_MS + 2 * POLL_MS + SLACK_MS);
  if (redelivery !== 'never') await reported(plan, 'the roster', (m) => isEventOf(plan.callId)(m) && m.event === 'rosterUpdated', SLACK_MS);
  // A second emission would come from a second takeover: a lease after the first at the earliest.
  await sleep(LEASE_MS + 3 * POLL_MS);
  await Promise.all(survivors.map((s) => s.flush()));

  const events = survivors.flatMap((s) => s.messages).filter(isEventOf(plan.callId));
  const ids = events.map((m) => m.eventId);
  expect({ twice: ids.filter((id, i) => ids.indexOf(id) !== i), events: shown(events) }).toEqual({ twice: [], events: expect.any(String) });
  expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
  expect(events.map((m) => m.event).sort()).toEqual(redelivery === 'never' ? ['operationCompleted', 'operationFailed'] : ['operationCompleted', 'operationFailed', 'rosterUpdated']);
  const completed = events.find((m) => m.event === 'operationCompleted')!;
  const finishedAt = entry!.effects.findIndex((effect) => effect.type === 'operationFinished');
  expect(completed).toMatchObject({ clientContext: plan.invite.clientContext, invitation: plan.invite.clientContext, eventId: `${entry!.id}:${finishedAt}` });
  // Every event of A's committed entry fired, with the entry's ids.
  const fromEntry = entry!.effects.flatMap((effect, i) => (EVENT_EFFECTS.has(effect.type) ? [`${entry!.id}:${i}`] : []));
  expect(ids.filter((id) => id!.startsWith(`${entry!.id}:`)).sort()).toEqual(fromEntry.sort());
  expect(timedOut).toMatchObject({ clientContext: plan.promptContext, kind: 'playPrompt', reason: 'timedOut' });
  if (redelivery !== 'never') expect(events.find((m) => m.event === 'rosterUpdated')).toMatchObject({ added: [`p-${plan.invite.user}`], joined: [plan.invite.clientContext] });
  expect(a.messages.filter(isEventOf(plan.callId))).toEqual([]);
  expect(survivors.flatMap((s) => s.messages).filter((m) => m.type === 'completed' && m.clientContext === plan.invite.clientContext).map((m) => m.from)).toEqual(['crash-c']);
  expect(survivors.flatMap((s) => s.messages).filter((m) => m.type === 'error')).toEqual([]);
  expect((await reader.getCall(plan.callId))?.outbox ?? []).toEqual([]);
  process.stdout.write(`[redis-store] crash, redelivery ${redelivery}: operationCompleted from ${completed.from} ${completed.at! - crashedAt} ms after the kill, C's completion ${completion.at! - crashedAt} ms, the playPrompt timeout from ${timedOut.from}\n`);
}

describe('a bot process killed between its commit and its events, two survivors on one Redis', () => {
  for (const [n, redelivery] of CASES.entries()) {
    it(`emits each committed event once, in a survivor, with Graph's redelivery ${redelivery}`, () => crashCase(n, redelivery), 30_000);
  }
});
