import { describe, it, expect, jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { CallingBot, MemoryCallStore, canonicalId, type CommsNotification, type Operation, type OperationOutcome, type Participant } from '@graph-comms/core';
import { FakeGraph } from '../../../test/helpers/fake-graph.js';
import { seededRandom } from './helpers/flaky-store.js';

/*
 * A bounded soak: 1 000 calls, each with a history of sequenced roster changes and of
 * operations (some sent by the bot through the real Graph client, the others unknown to it)
 * ending in the call's termination, interleaved, delivered with repeats and local reordering
 * in bodies of 1 to 5 notifications. Nothing may be lost or doubled, and once the retention
 * time has passed the heap is back near where it started.
 */

const SEED = 0x50a4;
const CALLS = 1000;
const ROSTER_STEPS = 80;
const OPERATIONS_PER_CALL = 16;
/** Calls on which the bot itself sends playPrompt (two each), about 15 %. */
const SENT_SHARE = 0.15;
const SENT_PER_CALL = 2;
const DUPLICATE_SHARE = 0.1;
const REORDER_SHARE = 0.3;
/** A notification is swapped with one at most this many positions later. */
const REORDER_WINDOW = 3;
/** A repeat comes at most this many positions after the first delivery. */
const DUPLICATE_WINDOW = 4;
/** About this many calls are in progress at any point of the stream. */
const ACTIVE_CALLS = 25;
const RETENTION_MS = 10_000;
const T0 = 1_700_000_000_000;

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const hex = (random: Random, n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const dashed = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
const guid = (random: Random) => dashed(hex(random, 32));
/** Graph's other printing of a GUID, as in notification paths. */
const bare = (id: string) => id.replace(/-/g, '').toUpperCase();
/** The id the local Graph gives the operation of a clientContext. */
const operationIdFor = (clientContext: string) => dashed(createHash('sha1').update(clientContext).digest('hex'));

/** One notification of the stream. */
interface Item {
  call: number;
  /** The call's termination: nothing of its call is reordered across it. */
  terminal: boolean;
  notification: CommsNotification;
}

/** An operation and the outcome its history ends with. */
interface PlannedOperation {
  /** `<call id>|<operation id>`, canonical. */
  key: string;
  callId: string;
  id: string;
  clientContext: string | null;
  status: 'completed' | 'failed';
  code: number;
  /** Sent by the bot: its Operation. */
  sent?: Operation;
}

interface CallPlan {
  id: string;
  items: Item[];
  /** The roster the in-order history ends with: participant id → the participant as last reported. */
  roster: Map<string, Participant>;
  operations: PlannedOperation[];
  rosterNotifications: number;
}

const OPERATION_TYPES = ['#microsoft.graph.playPromptOperation', '#microsoft.graph.recordOperation', '#microsoft.graph.subscribeToToneOperation', '#microsoft.graph.muteParticipantOperation', '#microsoft.graph.commsOperation'];

/** The history of one call, in order: established, roster changes and operations mixed, terminated. */
function planCall(index: number, random: Random, sent: Array<{ op: Operation; id: string }>): CallPlan {
  const id = sent[0]?.op.callId ?? guid(random);
  const path = () => `/communications/calls/${random() < 0.5 ? bare(id) : id}`;
  const items: Item[] = [];
  const add = (notification: CommsNotification, terminal = false) => items.push({ call: index, terminal, notification });

  // Roster changes, numbered by rosterSequenceNumber: joins, mute toggles, lobby, leaves, re-joins.
  const count = 2 + Math.floor(random() * 5);
  const people = Array.from({ length: count }, () => ({ present: false, isMuted: false, isInLobby: false }));
  const roster = new Map<string, Participant>();
  let seq = Math.floor(random() * 1000);
  let rosterNotifications = 0;
  for (let step = 0; step < ROSTER_STEPS; ) {
    // One participant, or two of the same kind of change in one notification.
    const group = random() < 0.2 ? 2 : 1;
    const whos = new Set<number>();
    while (whos.size < Math.min(group, count)) whos.add(Math.floor(random() * count));
    let leaving: boolean | undefined;
    const changed: Participant[] = [];
    for (const who of whos) {
      const person = people[who]!;
      const leaves = person.present && random() < 0.25;
      if (leaving !== undefined && leaves !== leaving) continue; // not of the same kind: next time
      leaving = leaves;
      if (!person.present) {
        person.present = true;
        person.isMuted = random() < 0.5;
        person.isInLobby = false;
      } else if (!leaves) {
        if (random() < 0.8) person.isMuted = !person.isMuted;
        else person.isInLobby = !person.isInLobby;
      }
      seq += 1 + Math.floor(random() * 2);
      const participant: Participant = {
        '@odata.type': '#microsoft.graph.participant',
        id: `${id.slice(0, 8)}-participant-${who}`,
        info: { '@odata.type': '#microsoft.graph.participantInfo', identity: { user: { id: `${id.slice(0, 8)}-user-${who}`, displayName: `User ${who}` } }, endpointType: 'default' },
        mediaStreams: [{ mediaType: 'audio', sourceId: String(who + 1), direction: 'sendReceive', serverMuted: false }],
        isMuted: person.isMuted,
        isInLobby: person.isInLobby,
        rosterSequenceNumber: seq,
      };
      changed.push(participant);
      if (leaves) {
        person.present = false;
        roster.delete(participant.id!);
      } else {
        roster.set(participant.id!, participant);
      }
      step++;
    }
    add({ changeType: leaving ? 'deleted' : 'updated', resourceUrl: `${path()}/participants`, resourceData: changed });
    rosterNotifications++;
  }

  // Operations: running, then completed or failed, identified by id and clientContext.
  const operations: PlannedOperation[] = [];
  const placeOperation = (planned: PlannedOperation, type: string, runningHasContext: boolean) => {
    const { id: opId, clientContext } = planned;
    const opPath = () => `${path()}/operations/${random() < 0.6 ? bare(opId) : opId}`;
    const context = (present: boolean) => (present && clientContext ? { clientContext } : {});
    const running: CommsNotification = {
      changeType: 'updated',
      resourceUrl: opPath(),
      resourceData: { '@odata.type': type, ...(random() < 0.5 ? { id: opId } : {}), ...context(runningHasContext), status: pick(random, ['running', 'Running']) },
    };
    // The outcome by id (with or without clientContext), or by clientContext alone where the running one carried it too.
    const byContextOnly = clientContext !== null && runningHasContext && random() < 0.3;
    const failed = planned.status === 'failed';
    const final: CommsNotification = {
      changeType: 'deleted',
      resourceUrl: byContextOnly ? `${path()}/operations` : opPath(),
      resourceData: {
        '@odata.type': type,
        ...(!byContextOnly && random() < 0.5 ? { id: opId } : {}),
        ...context(byContextOnly || random() < 0.7),
        status: failed ? pick(random, ['failed', 'Failed']) : pick(random, ['completed', 'Completed']),
        resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: planned.code, subcode: failed ? 8508 : 0, message: failed ? 'Action failed.' : 'Action completed successfully.' },
      },
    };
    // Both somewhere among the roster changes, running first.
    const first = 1 + Math.floor(random() * items.length);
    items.splice(first, 0, { call: index, terminal: false, notification: running });
    const second = first + 1 + Math.floor(random() * (items.length - first));
    items.splice(second, 0, { call: index, terminal: false, notification: final });
    operations.push(planned);
  };
  const outcome = () => (random() < 0.75 ? { status: 'completed' as const, code: 200 } : { status: 'failed' as const, code: pick(random, [400, 404, 500]) });
  for (const { op, id: opId } of sent) {
    placeOperation({ key: `${canonicalId(id)}|${canonicalId(opId)}`, callId: id, id: opId, clientContext: op.clientContext, sent: op, ...outcome() }, '#microsoft.graph.playPromptOperation', random() < 0.6);
  }
  for (let k = sent.length; k < OPERATIONS_PER_CALL; k++) {
    const opId = guid(random);
    const clientContext = random() < 0.7 ? guid(random) : null;
    placeOperation({ key: `${canonicalId(id)}|${canonicalId(opId)}`, callId: id, id: opId, clientContext, ...outcome() }, pick(random, OPERATION_TYPES), random() < 0.7);
  }

  items.unshift({ call: index, terminal: false, notification: { changeType: 'updated', resourceUrl: path(), resourceData: { '@odata.type': '#microsoft.graph.call', state: pick(random, ['established', 'Established']) } } });
  add({ changeType: 'deleted', resourceUrl: path(), resourceData: { '@odata.type': '#microsoft.graph.call', state: 'terminated', resultInfo: { code: '200', subcode: '5001', message: 'The conversation has ended.' } } }, true);
  return { id, items, roster, operations, rosterNotifications };
}

/**
 * The calls' histories interleaved, each call's kept in order: calls come and go, about
 * ACTIVE_CALLS at a time, and each sends its notifications in bursts of 1 to 4, so that the
 * reordering below often swaps notifications of one call, not only of neighbouring calls.
 */
function interleave(plans: CallPlan[], random: Random): Item[] {
  const next = plans.map(() => 0);
  let started = 0;
  const active: number[] = [];
  while (active.length < ACTIVE_CALLS && started < plans.length) active.push(started++);
  const out: Item[] = [];
  while (active.length > 0) {
    const at = Math.floor(random() * active.length);
    const call = active[at]!;
    const items = plans[call]!.items;
    for (let burst = 1 + Math.floor(random() * 4); burst > 0 && next[call]! < items.length; burst--) out.push(items[next[call]!++]!);
    if (next[call] === items.length) {
      if (started < plans.length) active[at] = started++;
      else {
        active[at] = active[active.length - 1]!;
        active.pop();
      }
    }
  }
  return out;
}

/**
 * Swaps notifications with one a few positions later (never moving a termination across a
 * notification of its own call: Graph fails what is pending on a call that ends, by design),
 * then repeats some of them a few positions after their first delivery.
 */
function disorder(stream: Item[], random: Random): { delivered: Item[]; swaps: number; swapsWithinCall: number; repeats: number } {
  const s = stream.slice();
  let swaps = 0;
  let swapsWithinCall = 0;
  for (let i = 0; i < s.length - 1; i++) {
    if (random() >= REORDER_SHARE) continue;
    const j = Math.min(s.length - 1, i + 1 + Math.floor(random() * REORDER_WINDOW));
    const window = s.slice(i, j + 1);
    const crossesEnd = window.some((a) => a.terminal && window.some((b) => b !== a && b.call === a.call));
    if (crossesEnd) continue;
    if (s[i]!.call === s[j]!.call) swapsWithinCall++;
    [s[i], s[j]] = [s[j]!, s[i]!];
    swaps++;
  }
  const delivered: Item[] = [];
  let pending: Array<[number, Item]> = [];
  let repeats = 0;
  for (let i = 0; i < s.length; i++) {
    delivered.push(s[i]!);
    if (random() < DUPLICATE_SHARE) {
      pending.push([i + 1 + Math.floor(random() * DUPLICATE_WINDOW), s[i]!]);
      repeats++;
    }
    const due = pending.filter(([at]) => at <= i);
    if (due.length > 0) {
      pending = pending.filter(([at]) => at > i);
      for (const [, item] of due) delivered.push(item);
    }
  }
  for (const [, item] of pending) delivered.push(item);
  return { delivered, swaps, swapsWithinCall, repeats };
}

/** Cuts the stream into bodies of 1 to 5 notifications. */
function bodiesOf(items: Item[], random: Random): Array<{ value: CommsNotification[] }> {
  const bodies: Array<{ value: CommsNotification[] }> = [];
  for (let i = 0; i < items.length; ) {
    const size = 1 + Math.floor(random() * 5);
    bodies.push({ value: items.slice(i, i + size).map((item) => item.notification) });
    i += size;
  }
  return bodies;
}

const sortedRoster = (entries: Iterable<[string, Participant]>) => [...entries].sort((a, b) => a[0].localeCompare(b[0]));
const bump = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
const overOne = (counts: Map<string, number>) => [...counts].filter(([, n]) => n !== 1);

/** Runs the soak on `bot`; returns only numbers, so that everything it built can be collected. */
async function soak(bot: CallingBot, graph: FakeGraph) {
  const random = seededRandom(SEED);
  const started = Date.now();
  const wall = performance.now();

  // The operations the bot sends: playPrompt through the real Graph client to the local server.
  const senders = Array.from({ length: CALLS }, () => random() < SENT_SHARE);
  const sentBy: Array<Array<{ op: Operation; id: string }>> = Array.from({ length: CALLS }, () => []);
  const requests: Array<{ call: number; callId: string; clientContext: string }> = [];
  senders.forEach((sends, call) => {
    if (!sends) return;
    const callId = guid(random);
    for (let k = 0; k < SENT_PER_CALL; k++) requests.push({ call, callId, clientContext: guid(random) });
  });
  for (let i = 0; i < requests.length; i += 20) {
    await Promise.all(
      requests.slice(i, i + 20).map(async ({ call, callId, clientContext }) => {
        const op = await bot.call(callId).playPrompt({ prompts: [{ mediaInfo: { uri: `https://cdn.contoso.com/${call}.wav` } }], clientContext });
        sentBy[call]!.push({ op, id: operationIdFor(clientContext) });
      }),
    );
  }
  for (const list of sentBy) list.sort((a, b) => a.op.clientContext.localeCompare(b.op.clientContext)); // the plan does not depend on answer order
  const sentOps = sentBy.flat();
  expect(graph.received).toHaveLength(requests.length);
  expect(sentOps.every(({ op, id }) => op.status === 'running' && op.id === id)).toBe(true);
  const outcomes = new Map<Operation, OperationOutcome>();
  for (const { op } of sentOps) void op.completion.then((o) => void outcomes.set(op, o));

  // The histories, interleaved, disordered, cut into bodies.
  const plans = Array.from({ length: CALLS }, (_, call) => planCall(call, random, sentBy[call]!));
  const stream = interleave(plans, random);
  const { delivered, swaps, swapsWithinCall, repeats } = disorder(stream, random);
  const bodies = bodiesOf(delivered, random);

  // What the bot tells.
  const operationEvents = new Map<string, number>();
  const operationStatus = new Map<string, { status: string; code?: number; sent?: Operation }>();
  const terminated = new Map<string, number>();
  const rosterChanges = new Map<string, number>();
  let rosterEvents = 0;
  const unexpected: string[] = [];
  // An outcome that overtook the operation's first notification, by clientContext alone, is told without the id.
  const byContext = new Map(plans.flatMap((p) => p.operations.filter((op) => op.clientContext).map((op) => [`${canonicalId(op.callId)}|${op.clientContext}`, op.key] as const)));
  const onOperation = (status: 'completed' | 'failed') => (e: { callId: string; operationId: string | null; clientContext: string | null; sent?: Operation; resultInfo?: { code?: number | null } }) => {
    const call = canonicalId(e.callId);
    const key = e.operationId ? `${call}|${canonicalId(e.operationId)}` : (byContext.get(`${call}|${e.clientContext}`) ?? `${call}|no id, clientContext ${e.clientContext}`);
    bump(operationEvents, key);
    operationStatus.set(key, { status, ...(e.resultInfo?.code != null ? { code: e.resultInfo.code } : {}), ...(e.sent ? { sent: e.sent } : {}) });
  };
  bot.on('operationCompleted', onOperation('completed'));
  bot.on('operationFailed', (e) => (e.reason === 'failed' ? onOperation('failed')(e) : unexpected.push(`operationFailed ${e.reason} ${e.operationId}`)));
  bot.on('callTerminated', (e) => void bump(terminated, canonicalId(e.callId)));
  bot.on('rosterUpdated', (e) => {
    rosterEvents++;
    // Each participant change (id and sequence number) is told once; a departure once per presence.
    for (const p of [...e.added, ...e.updated]) bump(rosterChanges, `${canonicalId(e.callId)}|${p.id}|${p.rosterSequenceNumber}`);
    for (const p of e.removed) bump(rosterChanges, `${canonicalId(e.callId)}|${p.id}|${p.rosterSequenceNumber}|left`);
  });
  bot.on('notificationUnhandled', (e) => void unexpected.push(`notificationUnhandled ${JSON.stringify(e.notification).slice(0, 200)}`));
  bot.on('error', (error, context) => void unexpected.push(`error ${context.source}: ${error.message}`));

  // Delivered as Graph would: several bodies in flight, each parsed afresh.
  const rejected: unknown[] = [];
  const inFlight = new Set<Promise<void>>();
  for (const body of bodies) {
    const delivery: Promise<void> = bot
      .processNotifications(structuredClone(body))
      .catch((error: unknown) => void rejected.push(error))
      .finally(() => inFlight.delete(delivery));
    inFlight.add(delivery);
    if (inFlight.size >= 8) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await new Promise((resolve) => setImmediate(resolve));
  const deliverMs = performance.now() - wall;

  expect(rejected).toEqual([]);
  expect(unexpected).toEqual([]);

  // 0 lost: every call's final roster is the in-order one.
  const rosterMismatches: string[] = [];
  for (const plan of plans) {
    const record = await bot.getCall(plan.id);
    const held = sortedRoster((record?.roster ?? []).map((e) => [e.participant.id ?? `identity:${e.identity}`, e.participant] as [string, Participant]));
    const expected = sortedRoster(plan.roster);
    if (JSON.stringify(held) !== JSON.stringify(expected)) rosterMismatches.push(`${plan.id}: held ${JSON.stringify(held.map(([k, p]) => [k, p.rosterSequenceNumber]))}, in order ${JSON.stringify(expected.map(([k, p]) => [k, p.rosterSequenceNumber]))}`);
    expect(record?.state).toBe('terminated');
  }
  expect(rosterMismatches.slice(0, 5)).toEqual([]);

  // 0 lost, 0 doubled: every operation told once, with its outcome; every call terminated once.
  const operations = plans.flatMap((p) => p.operations);
  const wrong = operations.filter((op) => {
    const told = operationStatus.get(op.key);
    return operationEvents.get(op.key) !== 1 || told?.status !== op.status || (op.status === 'failed' && told.code !== op.code) || (op.sent !== undefined && told.sent !== op.sent);
  });
  expect(wrong.slice(0, 5).map((op) => ({ key: op.key, planned: op.status, events: operationEvents.get(op.key) ?? 0, told: operationStatus.get(op.key)?.status }))).toEqual([]);
  expect(operationEvents.size).toBe(operations.length);
  expect(overOne(operationEvents)).toEqual([]);
  expect(terminated.size).toBe(CALLS);
  expect(overOne(terminated)).toEqual([]);
  expect(overOne(rosterChanges).slice(0, 5)).toEqual([]);
  const rosterNotifications = plans.reduce((n, p) => n + p.rosterNotifications, 0);
  expect(rosterEvents).toBeLessThanOrEqual(rosterNotifications);
  expect(rosterEvents).toBeGreaterThan(rosterNotifications * 0.8); // reordering skips a few stale changes, no more

  // Every sent operation's completion resolved, with the status its history ended with.
  const sentPlans = operations.filter((op) => op.sent);
  expect(sentPlans).toHaveLength(requests.length);
  const unsettled = sentPlans.filter((op) => outcomes.get(op.sent!)?.status !== op.status || outcomes.get(op.sent!)?.resultInfo?.code !== op.code);
  expect(unsettled.map((op) => ({ key: op.key, planned: op.status, outcome: outcomes.get(op.sent!)?.status ?? 'pending' }))).toEqual([]);

  bot.removeAllListeners();
  return {
    calls: plans.length,
    notifications: stream.length,
    delivered: delivered.length,
    bodies: bodies.length,
    swaps,
    swapsWithinCall,
    repeats,
    operations: operations.length,
    sent: sentPlans.length,
    rosterNotifications,
    rosterEvents,
    deliverMs: Math.round(deliverMs),
    simulatedMs: Date.now() - started,
  };
}

describe('soak', () => {
  it('delivers 100 000 notifications of 1 000 calls, repeated and reordered: nothing lost, nothing doubled, memory back after retention', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('this test needs node --expose-gc');
    const graph = await FakeGraph.start();
    // The local Graph answers every playPrompt running, with an id of its own.
    graph.script = (request) => {
      const clientContext = (request.body as { clientContext: string }).clientContext;
      return { status: 200, body: { '@odata.type': '#microsoft.graph.playPromptOperation', id: operationIdFor(clientContext), status: 'running' } };
    };
    // Fake time: nothing expires during the soak (so the final rosters can be read), then retention passes at once.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'performance', 'hrtime'], now: T0 });
    const store = new MemoryCallStore({ retentionMs: RETENTION_MS });
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, graphClient: graph.client(), retentionMs: RETENTION_MS, store });
    try {
      gc();
      const before = process.memoryUsage().heapUsed;
      const wall = performance.now();
      const summary = await soak(bot, graph);
      gc();
      const peak = process.memoryUsage().heapUsed;
      expect(summary.notifications).toBeGreaterThanOrEqual(100_000);
      expect(summary.calls).toBe(CALLS);
      expect(store.size).toBe(CALLS);

      // Retention passes: the bot's sweep runs, and a write sweeps the store.
      jest.advanceTimersByTime(3 * RETENTION_MS);
      await bot.processNotifications({ value: [{ changeType: 'updated', resourceUrl: '/communications/calls/after-the-soak', resourceData: { state: 'established' } }] });
      expect(store.size).toBe(1);
      gc();
      const after = process.memoryUsage().heapUsed;
      const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
      // SOAK_REPORT=1 prints what was delivered, how long it took and the heap at each point.
      if (process.env['SOAK_REPORT']) console.log({ ...summary, wallMs: Math.round(performance.now() - wall), heapBeforeMB: mb(before), heapPeakMB: mb(peak), heapAfterMB: mb(after) });
      // Held while the calls were: several MB for 1 000 ended calls; after retention, near the start.
      expect(peak - before).toBeGreaterThan(10 * 2 ** 20);
      expect(after - before).toBeLessThan(20 * 2 ** 20);
    } finally {
      jest.useRealTimers();
      await bot.close();
      await graph.close();
    }
  }, 60_000);
});
