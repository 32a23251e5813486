// Figure 5 (a forked child, run with --expose-gc): heap bytes per pending operation and per
// roster participant, and the heap once every call has ended and the retention time has passed.
// Pending operations come from real bot.invite() calls through @microsoft/microsoft-graph-client
// against the Graph stand-in (servers/graph-stand-in.mjs), which answers { id, status: 'Running' }.
// BENCH_CONFIG: { graphUrl, calls, participantsPerCall, retentionMs }. Sends { type: 'result' }.
import { performance } from 'node:perf_hooks';
import { Client } from '@microsoft/microsoft-graph-client';
import { CallingBot, MemoryCallStore } from '@graph-comms/core';
import { APP_ID, TENANT_ID, callIdOf, clientContextOf, operationBody, rosterBody, terminatedBody, userIdOf } from './lib/fixtures.mjs';
import { settledHeap } from './lib/stats.mjs';

if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
const { graphUrl, calls, participantsPerCall, retentionMs } = JSON.parse(process.env.BENCH_CONFIG ?? '{}');
process.on('disconnect', () => process.exit(1));

const graphClient = Client.init({ baseUrl: graphUrl, authProvider: (done) => done(null, 'bench-token') });
const bot = new CallingBot({ appId: APP_ID, graphClient, tokenVerifier: false, retentionMs, store: new MemoryCallStore({ retentionMs }) });
const counts = { operationCompleted: 0, callTerminated: 0, rosterUpdated: 0, errors: 0 };
for (const name of ['operationCompleted', 'callTerminated', 'rosterUpdated']) bot.on(name, () => (counts[name] += 1));
bot.on('error', () => (counts.errors += 1));

// Bodies arrive as JSON text; the records keep what JSON.parse made of them.
const parsed = (body) => JSON.parse(JSON.stringify(body));

/** Runs `task(i)` for i in [from, to), `width` at a time. */
async function each(from, to, task, width = 32) {
  for (let first = from; first < to; first += width) {
    const pending = [];
    for (let i = first; i < Math.min(to, first + width); i += 1) pending.push(task(i));
    await Promise.all(pending);
  }
}

const invite = (i) => bot.invite(callIdOf(i), { participants: [{ identity: { user: { id: userIdOf(i, 999), tenantId: TENANT_ID } } }], clientContext: clientContextOf(i) });
const start = (i) => bot.processNotifications(parsed(rosterBody(i, 1, false)));
const grow = (i) => bot.processNotifications(parsed(rosterBody(i, 2, false, participantsPerCall, 1)));
const end = async (i) => {
  await bot.processNotifications(parsed(operationBody(i, 'completed')));
  await bot.processNotifications(parsed(terminatedBody(i)));
};
const SWEEPER = 2_000_000_000;
/** Waits out the retention time, then a write lets the store sweep (it sweeps on writes, at most once a second). */
async function sweep() {
  await new Promise((resolve) => setTimeout(resolve, retentionMs + 1100));
  await bot.processNotifications(parsed(rosterBody(SWEEPER, Date.now(), false)));
}

/** One whole life cycle of `n` calls from index `from`, to warm up the code and the Graph client. */
async function lifeCycle(from, n) {
  await each(from, from + n, start);
  await each(from, from + n, invite);
  await each(from, from + n, grow);
  await each(from, from + n, end);
}

await lifeCycle(1_000_000_000, 1000);
await sweep();
const heapStart = await settledHeap();

await each(0, calls, start);
const heapCalls = await settledHeap();
const t0 = performance.now();
await each(0, calls, invite);
const invitesPerSecond = calls / ((performance.now() - t0) / 1000);
const heapPending = await settledHeap();
const pendingSeen = (await bot.getCall(callIdOf(0)))?.operations[`c:${clientContextOf(0)}`]?.status;
await each(0, calls, grow);
const heapParticipants = await settledHeap();
const rosterSize = Object.keys((await bot.getCall(callIdOf(0)))?.roster ?? {}).length;
await each(0, calls, end);
const heapEnded = await settledHeap();
await sweep();
const heapAfter = await settledHeap();

process.send({
  type: 'result',
  calls,
  participantsPerCall,
  retentionMs,
  perPendingOperationBytes: (heapPending - heapCalls) / calls,
  perParticipantBytes: (heapParticipants - heapPending) / (calls * participantsPerCall),
  perCallBytes: (heapCalls - heapStart) / calls,
  participantJsonBytes: JSON.stringify(rosterBody(0, 2, false, 1, 1).value[0].resourceData[0]).length,
  pendingStatusSeen: pendingSeen,
  rosterSizeSeen: rosterSize,
  invitesPerSecond,
  heap: { start: heapStart, calls: heapCalls, pending: heapPending, participants: heapParticipants, ended: heapEnded, afterRetention: heapAfter },
  residualBytes: heapAfter - heapStart,
  peakGrowthBytes: heapParticipants - heapStart,
  callsLeftInStore: bot.store.size,
  counts,
});
await bot.close();
process.disconnect();
