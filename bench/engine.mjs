// Figure 4 (a forked child, one per size and subject): notifications processed in-process, no
// HTTP, no token check, with `calls` calls already tracked. Bodies are parsed from JSON text, as
// a callback's are, outside the timed part; the GC they cause is not.
// BENCH_CONFIG: { calls, subject: 'bot' | 'floor', batch, active, bound, kinds, outbox }.
//   bot:   CallingBot.processNotifications on a MemoryCallStore, with no byte budget (the default
//          512 MiB would drop calls of the larger sizes) and, with `bound`, `maxCalls: calls`:
//          populated, the store is at its bound; without, it has no bound on calls at all;
//          with `outbox`, on the store that keeps one (lib/outbox-store.mjs);
//   floor: the least any JavaScript roster keeper does: a Map of call id → participants, replaced
//          on each notification. It is the same run's measure of what the machine's memory costs.
//   kinds: the calls are established with one participant, and the modes are the kinds of
//          notification of lib/kinds.mjs (rosters, operation completions, tones, call updates).
// After populating it sends { type: 'ready' }; each { type: 'measure', mode, warmupMs, measureMs, profileFile? }
// answers { type: 'round' } (with profileFile, the measured phase is CPU-profiled into it).
// Modes: `spread` visits every tracked call; `active`, only `active` of them; `fresh` sends each
// notification to a call never seen before (at the bound, every one of them evicts the oldest
// call); with `kinds`, one of KINDS.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { botSubject, floorSubject } from './lib/engine-subjects.mjs';
import { callIdOf, rosterJson } from './lib/fixtures.mjs';
import { callKinds } from './lib/kinds.mjs';

const { calls, subject = 'bot', batch = 64, active = 1000, bound = false, kinds = false, outbox = false } = JSON.parse(process.env.BENCH_CONFIG ?? '{}');
process.on('disconnect', () => process.exit(1));

// What the subject did: the changes it made (one per delivery is the intent) and its errors.
const counts = { changes: 0, errors: 0 };
const deliver = subject === 'bot' ? botSubject({ calls, bound, kinds, outbox }, counts) : floorSubject(counts);

// Pre-populate: one roster notification per call (participant 0, sequence 1, not muted); with
// `kinds`, the call established first.
const seq = new Uint32Array(calls);
const kindsOfCalls = kinds ? callKinds(deliver.bot, calls, { width: batch }) : undefined;
const populateStart = performance.now();
if (kindsOfCalls) await kindsOfCalls.populate();
for (let first = 0; first < calls && !kindsOfCalls; first += 1000) {
  const pending = [];
  for (let i = first; i < Math.min(calls, first + 1000); i += 1) {
    seq[i] = 1;
    pending.push(deliver.process(JSON.parse(rosterJson(i, 1, false))));
  }
  await Promise.all(pending);
}
const populateS = (performance.now() - populateStart) / 1000;
if (deliver.size() !== calls) throw new Error(`expected ${calls} calls tracked, found ${deliver.size()}`);

// Deliveries visit calls in a scattered order (a stride coprime with the pool), each raising the
// participant's rosterSequenceNumber and flipping isMuted: a real change every time. The active
// calls are spread evenly over the tracked ones.
const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));
const strideFor = (pool) => (gcd(7919, pool) === 1 ? 7919 : 1);
function visitor(pool, spacing) {
  const stride = strideFor(pool);
  let position = 0;
  return () => {
    position = (position + stride) % pool;
    const call = position * spacing;
    const s = (seq[call] += 1);
    return JSON.parse(rosterJson(call, s, s % 2 === 0));
  };
}
let nextFresh = calls;
const visitors = kindsOfCalls?.visitors ?? {
  spread: { next: visitor(calls, 1) },
  active: { next: visitor(Math.min(active, calls), Math.floor(calls / Math.min(active, calls))) },
  fresh: { next: () => JSON.parse(rosterJson((nextFresh += 1), 1, false)) },
};

let gcMs = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
});
observer.observe({ entryTypes: ['gc'] });

/**
 * Delivers batches of `batch` concurrent notifications for `ms`. Only processing is timed; a
 * visitor with `refill` (pending operations to complete) refills within the window, untimed.
 */
async function run({ next, left, refill }, ms) {
  const start = performance.now();
  let delivered = 0;
  let busyMs = 0;
  const bodies = new Array(batch);
  const pending = new Array(batch);
  while (performance.now() - start < ms) {
    if (refill && left() < batch) await refill();
    for (let b = 0; b < batch; b += 1) bodies[b] = next();
    const t0 = performance.now();
    for (let b = 0; b < batch; b += 1) pending[b] = deliver.process(bodies[b]);
    await Promise.all(pending);
    busyMs += performance.now() - t0;
    delivered += batch;
  }
  return { delivered, seconds: busyMs / 1000, wallSeconds: (performance.now() - start) / 1000 };
}

// GC entries reach the observer on a macrotask, which the delivery loop never yields to.
const drainGcEntries = () => new Promise((resolve) => setTimeout(resolve, 20));

async function measure({ mode, warmupMs, measureMs, profileFile }) {
  const next = visitors[mode];
  if (!next) throw new Error(`unknown mode "${mode}" (known: ${Object.keys(visitors).join(', ')})`);
  const sizeBefore = deliver.size();
  await run(next, warmupMs);
  await drainGcEntries();
  const changesBefore = counts.changes;
  gcMs = 0;
  const session = profileFile ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const { delivered, seconds, wallSeconds } = await run(next, measureMs);
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(profileFile, JSON.stringify(profile));
    session.disconnect();
  }
  await drainGcEntries();
  // What the kinds' calls hold by now: finished operations (up to 64 each) make every step longer.
  const sampled = kindsOfCalls ? await Promise.all(Array.from({ length: 16 }, (_, i) => deliver.bot.getCall(callIdOf(i)))) : [];
  return {
    ...(kindsOfCalls ? { operationsPerRecord: sampled.reduce((n, r) => n + (r?.operations.length ?? 0), 0) / sampled.length } : {}),
    perSecond: delivered / seconds,
    delivered,
    changesPerDelivery: (counts.changes - changesBefore) / delivered,
    gcShare: gcMs / 1000 / wallSeconds,
    heapUsedBytes: process.memoryUsage().heapUsed,
    /** Calls tracked at the end, and how many more than before the warm-up (fresh calls below the bound). */
    size: deliver.size(),
    grew: deliver.size() - sizeBefore,
    errors: counts.errors,
  };
}

process.on('message', (message) => {
  if (message?.type === 'measure') {
    measure(message).then(
      (result) => process.send({ type: 'round', ...result }),
      (error) => process.send({ type: 'error', message: error.stack ?? String(error) }),
    );
  } else if (message?.type === 'stop') {
    observer.disconnect();
    deliver.close().finally(() => process.exit(0));
  }
});
process.send({ type: 'ready', calls, subject, bound, kinds, outbox, populateS, populatePerSecond: calls / populateS });
