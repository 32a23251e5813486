// Figure 4 (a forked child, one per size): bot.processNotifications(body) in-process, no HTTP,
// no token check, with `calls` calls already tracked in the MemoryCallStore. Bodies are built
// outside the timed part; the GC they cause is not.
// BENCH_CONFIG: { calls, warmupMs, measureMs, maxDeliveries, batch, profileFile? }. Sends { type: 'result' }.
// With profileFile, the measured phase alone is CPU-profiled (bench/profile-summary.mjs reads it).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { CallingBot, MemoryCallStore } from '@graph-comms/core';
import { APP_ID, rosterBody } from './lib/fixtures.mjs';

const { calls, warmupMs, measureMs, maxDeliveries, batch = 64, profileFile } = JSON.parse(process.env.BENCH_CONFIG ?? '{}');
process.on('disconnect', () => process.exit(1));

const bot = new CallingBot({ appId: APP_ID, tokenVerifier: false, store: new MemoryCallStore() });
let changes = 0;
let errors = 0;
bot.on('rosterUpdated', () => (changes += 1));
bot.on('error', () => (errors += 1));

// Pre-populate: one roster notification per call (participant 0, sequence 1, not muted).
const seq = new Uint32Array(calls);
const populateStart = performance.now();
for (let first = 0; first < calls; first += 1000) {
  const pending = [];
  for (let i = first; i < Math.min(calls, first + 1000); i += 1) {
    seq[i] = 1;
    pending.push(bot.processNotifications(rosterBody(i, 1, false)));
  }
  await Promise.all(pending);
}
const populateS = (performance.now() - populateStart) / 1000;
if (bot.store.size !== calls) throw new Error(`expected ${calls} calls in the store, found ${bot.store.size}`);

// Deliveries visit the calls in a scattered order (a stride coprime with the pool size), each one
// raising the participant's rosterSequenceNumber and flipping isMuted: a real change every time.
const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));
const STRIDE = gcd(7919, calls) === 1 ? 7919 : 1;
let position = 0;
function nextBody() {
  position = (position + STRIDE) % calls;
  const s = (seq[position] += 1);
  return rosterBody(position, s, s % 2 === 0);
}

let gcMs = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
});
observer.observe({ entryTypes: ['gc'] });

/**
 * Delivers batches of `batch` concurrent notifications for `ms` (and at most `max`). Only
 * processNotifications is timed: each batch's bodies are built before its clock starts.
 */
async function run(ms, max) {
  const start = performance.now();
  let delivered = 0;
  let busyMs = 0;
  const bodies = new Array(batch);
  const pending = new Array(batch);
  while (delivered < max && performance.now() - start < ms) {
    for (let b = 0; b < batch; b += 1) bodies[b] = nextBody();
    const t0 = performance.now();
    for (let b = 0; b < batch; b += 1) pending[b] = bot.processNotifications(bodies[b]);
    await Promise.all(pending);
    busyMs += performance.now() - t0;
    delivered += batch;
  }
  return { delivered, seconds: busyMs / 1000, wallSeconds: (performance.now() - start) / 1000 };
}

// GC entries reach the observer on a macrotask, which the delivery loop never yields to.
const drainGcEntries = () => new Promise((resolve) => setTimeout(resolve, 20));
await run(warmupMs, maxDeliveries);
await drainGcEntries();
const changesBefore = changes;
gcMs = 0;
const session = profileFile ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const { delivered, seconds, wallSeconds } = await run(measureMs, maxDeliveries);
if (session) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(profileFile, JSON.stringify(profile));
  session.disconnect();
}
await drainGcEntries();
const measuredGcMs = gcMs;
observer.disconnect();

process.send({
  type: 'result',
  calls,
  perSecond: delivered / seconds,
  delivered,
  seconds,
  changesPerDelivery: (changes - changesBefore) / delivered,
  gcShare: measuredGcMs / 1000 / wallSeconds,
  populateS,
  populatePerSecond: calls / populateS,
  heapUsedBytes: process.memoryUsage().heapUsed,
  errors,
});
await bot.close();
process.disconnect();
