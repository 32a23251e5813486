// Figure (6c), (6m) (a forked child): what the bot asks of Redis per notification, and what Redis
// holds per active call, on the mix workload of figure (6) (wrk/templates.mjs: every call visited
// in turn, each visit the next of its eight steps), processed in-process on a RedisCallStore
// (which always keeps an outbox) against a throw-away redis-server.
// First every call lives through its eight steps once; then INFO memory and MEMORY USAGE say what
// Redis holds. Then `cycles` more rounds of eight, counted from both ends: the commands the
// store's client sends (lib/redis-counting.mjs) and INFO commandstats (which also counts the
// commands that scripts run). The bot's background polls (due deadlines, stale outboxes) are per
// second, not per notification: its deadlinePollMs is an hour here, so that they stay out.
// BENCH_CONFIG: { redisUrl, calls, cycles }. Sends { type: 'result' }.
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { CallingBot } from '@graph-comms/core';
import { RedisCallStore } from '@graph-comms/redis-store';
import { APP_ID, callIdOf } from './lib/fixtures.mjs';
import { commandStats, countCommands, difference, info, memoryUsage } from './lib/redis-counting.mjs';
import { fill, valuesOf, visitOf } from './wrk/fill.mjs';
import { templatesOf } from './wrk/templates.mjs';

const { redisUrl, calls = 1000, cycles = 1 } = JSON.parse(process.env.BENCH_CONFIG ?? '{}');
// 64 calls at least: each batch of 64 deliveries then goes to 64 different calls.
const problem = !redisUrl ? 'BENCH_CONFIG needs redisUrl' : !(Number.isInteger(calls) && calls >= 64 && Number.isInteger(cycles) && cycles >= 1) ? `calls must be an integer >= 64 and cycles >= 1, got ${calls} and ${cycles}` : undefined;
if (problem) {
  process.send?.({ type: 'error', message: problem });
  process.exit(1);
}
process.on('disconnect', () => process.exit(1));
const PREFIX = 'bench:';

const client = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true });
await client.connect();
const probe = new Redis(redisUrl, { maxRetriesPerRequest: 0 });
const sent = countCommands(client);
let marks = 0;
class CountingStore extends RedisCallStore {
  markEmitted(callId, ids) {
    marks += 1;
    return super.markEmitted(callId, ids);
  }
}
const store = new CountingStore({ client, keyPrefix: PREFIX, logger: false });
const bot = new CallingBot({ appId: APP_ID, tokenVerifier: false, store, logger: false, deadlinePollMs: 3_600_000 });
const events = {};
for (const name of ['rosterUpdated', 'operationCompleted', 'toneReceived', 'callUpdated', 'callEstablished', 'error']) bot.on(name, () => (events[name] = (events[name] ?? 0) + 1));

const templates = templatesOf('mix');
/** Delivers notifications k in [from, to) of the mix over `calls` calls, 64 at a time (64 calls in a row); resolves the seconds it took. */
async function deliver(from, to) {
  const start = performance.now();
  for (let first = from; first < to; first += 64) {
    const pending = [];
    for (let k = first; k < Math.min(to, first + 64); k += 1) {
      const { i, v } = visitOf(calls, k, 0, 0);
      pending.push(bot.processNotifications(JSON.parse(fill(templates[(v + i) % templates.length], valuesOf(i, v)))));
    }
    await Promise.all(pending);
  }
  await new Promise((resolve) => setTimeout(resolve, 50)); // the last markEmitted calls land
  return (performance.now() - start) / 1000;
}

const steps = templates.length;
const memoryBefore = (await info(probe, 'memory')).used_memory;
await deliver(0, calls * steps);
const memoryAfter = (await info(probe, 'memory')).used_memory;
const sample = Array.from({ length: Math.min(calls, 200) }, (_, n) => Math.floor((n * calls) / Math.min(calls, 200)));
const shards = (name) => Array.from({ length: 16 }, (_, s) => `${PREFIX}{${name}:${s}}`);
const usage = {
  call: await memoryUsage(probe, sample.map((i) => `${PREFIX}{${callIdOf(i)}}:call`)),
  outbox: await memoryUsage(probe, sample.map((i) => `${PREFIX}{${callIdOf(i)}}:outbox`)),
  deadlines: await memoryUsage(probe, shards('deadlines')),
  outboxIndex: await memoryUsage(probe, shards('outboxes')),
};
const keys = await probe.dbsize();

const sentBefore = { ...sent };
const marksBefore = marks;
const statsBefore = await commandStats(probe);
const eventsBefore = { ...events };
const notifications = calls * steps * cycles;
const seconds = await deliver(calls * steps, calls * steps * (1 + cycles));
const ran = difference(await commandStats(probe), statsBefore, ['info', 'memory', 'dbsize']);
const perNotification = (counts) => Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, n / notifications]));
const sentDiff = difference(sent, sentBefore);

process.send({
  type: 'result',
  calls,
  cycles,
  notifications,
  perSecond: notifications / seconds,
  sentPerNotification: Object.values(sentDiff).reduce((a, b) => a + b, 0) / notifications,
  sent: perNotification(sentDiff),
  ranPerNotification: Object.values(ran).reduce((a, b) => a + b, 0) / notifications,
  ran: perNotification(ran),
  markEmittedPerNotification: (marks - marksBefore) / notifications,
  events: perNotification(difference(events, eventsBefore)),
  memory: {
    usedPerCallBytes: (memoryAfter - memoryBefore) / calls,
    keysPerCall: keys / calls,
    callKeyBytes: usage.call.bytes / Math.max(1, usage.call.present),
    outboxKeysPresent: usage.outbox.present / sample.length,
    outboxKeyBytes: usage.outbox.present ? usage.outbox.bytes / usage.outbox.present : 0,
    deadlinesPerCallBytes: usage.deadlines.bytes / calls,
    outboxIndexPerCallBytes: usage.outboxIndex.bytes / calls,
  },
});
await bot.close();
await Promise.all([client.quit(), probe.quit()]);
process.disconnect();
