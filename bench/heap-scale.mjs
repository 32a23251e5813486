// Figure (5d–5p) (a forked child, run with --expose-gc): the heap at scale. `calls` calls are
// established through notifications (call established, then a one-participant roster) twice, in
// two bots with stores of their own: one with keepAlives off, one with the default
// `keepAliveIntervalMs`, which schedules a keepAlive deadline per established call in its store's
// deadline heap. The first gives the bytes per call, the difference the bytes per deadline. Then
// one pending invite per call in the second bot, through the in-process fake Graph, whose
// timeout is a deadline of its own.
// BENCH_CONFIG: { calls }. Sends { type: 'result' }.
import { performance } from 'node:perf_hooks';
import { CallingBot, MemoryCallStore } from '@graph-comms/core';
import { APP_ID, TENANT_ID, callIdOf, clientContextOf, rosterJson, userIdOf } from './lib/fixtures.mjs';
import { establishedBody } from './lib/call-bodies.mjs';
import { fakeGraphClient } from './lib/fake-graph.mjs';
import { settledHeap } from './lib/stats.mjs';

/** Tells the parent what is wrong with how it started this child, and stops. */
function refuse(message) {
  process.send?.({ type: 'error', message });
  process.exit(1);
}
if (typeof globalThis.gc !== 'function') refuse('run with --expose-gc');
const { calls } = JSON.parse(process.env.BENCH_CONFIG ?? '{}');
if (!Number.isInteger(calls) || calls < 1) refuse(`calls must be a positive integer, got ${calls}`);
process.on('disconnect', () => process.exit(1));

const errors = [];
const botWith = (keepAliveIntervalMs) => {
  const bot = new CallingBot({ appId: APP_ID, tokenVerifier: false, logger: false, graphClient: fakeGraphClient().client, store: new MemoryCallStore({ maxBytes: Infinity }), ...(keepAliveIntervalMs === false ? { keepAliveIntervalMs } : {}) });
  bot.on('error', (error) => errors.push(String(error?.message ?? error)));
  return bot;
};

/** Runs `task(i)` for i in [from, to), 64 at a time. */
async function each(from, to, task) {
  for (let first = from; first < to; first += 64) {
    const pending = [];
    for (let i = first; i < Math.min(to, first + 64); i += 1) pending.push(task(i));
    await Promise.all(pending);
  }
}
const establish = (bot) => (i) => bot.processNotifications(JSON.parse(JSON.stringify(establishedBody(i)))).then(() => bot.processNotifications(JSON.parse(rosterJson(i, 1, false))));
const invite = (bot) => (i) => bot.invite(callIdOf(i), { participants: [{ identity: { user: { id: userIdOf(i, 999), tenantId: TENANT_ID } } }], clientContext: clientContextOf(i) });

/** The deadlines a store holds, by kind ('ka', 'op'), claimed far in the future: done last, as it moves them. */
async function deadlinesOf(store) {
  const later = Date.now() + 365 * 86_400_000;
  const keys = await store.claimDueDeadlines(later, later + 1, 10 * calls + 10);
  const kinds = {};
  for (const key of keys) kinds[JSON.parse(key)[0]] = (kinds[JSON.parse(key)[0]] ?? 0) + 1;
  return kinds;
}

// The same code paths once, so that the baseline holds compiled code and hidden classes.
const warm = botWith(undefined);
await each(2_000_000_000, 2_000_001_000, establish(warm));
await each(2_000_000_000, 2_000_001_000, invite(warm));
await warm.close();
const heapStart = await settledHeap();

const plain = botWith(false);
await each(0, calls, establish(plain));
const heapPlain = await settledHeap();
const kept = botWith(undefined);
const t0 = performance.now();
await each(0, calls, establish(kept));
const establishPerSecond = calls / ((performance.now() - t0) / 1000);
const heapKept = await settledHeap();
await each(0, calls, invite(kept));
const heapPending = await settledHeap();

const perCallBytes = (heapPlain - heapStart) / calls;
const perCallWithKeepAliveBytes = (heapKept - heapPlain) / calls;
process.send({
  type: 'result',
  calls,
  perCallBytes,
  perCallWithKeepAliveBytes,
  perDeadlineBytes: perCallWithKeepAliveBytes - perCallBytes,
  perPendingOperationBytes: (heapPending - heapKept) / calls,
  storeEstimatePerCallBytes: plain.store.bytes / calls,
  establishPerSecond,
  heap: { start: heapStart, plain: heapPlain, kept: heapKept, pending: heapPending },
  tracked: { plain: plain.store.size, kept: kept.store.size },
  deadlines: { plain: await deadlinesOf(plain.store), kept: await deadlinesOf(kept.store) },
  errors: errors.length,
  firstError: errors[0],
});
await Promise.all([plain.close(), kept.close()]);
process.disconnect();
