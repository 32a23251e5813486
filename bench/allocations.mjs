// Figure 4a (a forked child): bytes the framework allocates per roster notification, counted by
// V8's sampling heap profiler with collected objects included. Unlike a rate, it does not depend
// on how busy the machine is, and it is what drives the scavenges that dominate (4) with many
// calls. Bodies are parsed before sampling starts; allocations are charged to the nearest
// JavaScript frame, and only those under packages/ count. With `outbox`, figure (4xa): the same on
// the memory store that keeps an outbox (lib/outbox-store.mjs).
// BENCH_CONFIG: { calls, notifications, outbox }. Sends { type: 'result', bytesPerNotification, byFunction }.
import { Session } from 'node:inspector/promises';
import { CallingBot } from '@graph-comms/core';
import { APP_ID, rosterJson } from './lib/fixtures.mjs';
import { memoryStore } from './lib/outbox-store.mjs';

const { calls = 1000, notifications = 20_000, outbox = false } = JSON.parse(process.env.BENCH_CONFIG ?? '{}');
process.on('disconnect', () => process.exit(1));

const bot = new CallingBot({ appId: APP_ID, tokenVerifier: false, store: memoryStore(outbox, {}) });
bot.on('rosterUpdated', () => undefined);
const seq = new Uint32Array(calls);
const bodies = (count) =>
  Array.from({ length: count }, (_, k) => {
    const call = (k * 7919) % calls;
    const s = (seq[call] += 1);
    return JSON.parse(rosterJson(call, s, s % 2 === 0));
  });
async function deliver(list) {
  for (let first = 0; first < list.length; first += 64) await Promise.all(list.slice(first, first + 64).map((b) => bot.processNotifications(b)));
}

await deliver(bodies(calls)); // every call tracked
await deliver(bodies(notifications)); // warm: optimized code allocates differently from cold code
const measured = bodies(notifications);
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', { samplingInterval: 128, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
await deliver(measured);
const { profile } = await session.post('HeapProfiler.stopSampling');
session.disconnect();

const byFunction = {};
let framework = 0;
(function walk(node, owner) {
  const url = node.callFrame.url;
  const here = url ? { url, name: `${node.callFrame.functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${node.callFrame.lineNumber + 1}` } : owner;
  if (node.selfSize > 0 && here?.url.includes('/packages/')) {
    framework += node.selfSize;
    byFunction[here.name] = (byFunction[here.name] ?? 0) + node.selfSize;
  }
  for (const child of node.children) walk(child, here);
})(profile.head, undefined);

const perNotification = Object.fromEntries(
  Object.entries(byFunction)
    .sort((a, b) => b[1] - a[1])
    .map(([name, bytes]) => [name, Math.round(bytes / notifications)]),
);
process.send({ type: 'result', calls, notifications, outbox, bytesPerNotification: framework / notifications, byFunction: perNotification });
await bot.close();
process.disconnect();
