// `node --expose-gc bench/profile-kinds.mjs [kind] [calls] [n] [refill] [--profile]`: one kind of
// notification of (4k) (roster, operation, tone, callState) through bot.processNotifications, for a
// CPU profile. Operations are sent `refill` at a time (default n: all of them first), untimed.
import { CallingBot } from '@graph-comms/core';
import { callKinds, EVENT_OF } from './lib/kinds.mjs';
import { fakeGraphClient } from './lib/fake-graph.mjs';
import { APP_ID } from './lib/fixtures.mjs';

const [kind = 'operation', calls = '1000', n = '100000', refill = n] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const bot = new CallingBot({ appId: APP_ID, tokenVerifier: false, logger: false, graphClient: fakeGraphClient().client, keepAliveIntervalMs: false });
let events = 0;
bot.on(EVENT_OF[kind], () => (events += 1));
const kinds = callKinds(bot, Number(calls), { refillSize: Number(refill) });
await kinds.populate();
const visitor = kinds.visitors?.[kind] ?? kinds[kind];
if (visitor.refill) await visitor.refill(); // every operation sent before anything is timed
// With --profile: a CPU profile of the timed part only, to bench-results/profiles/.
const profiling = process.argv.includes('--profile');
const session = profiling ? new (await import('node:inspector/promises')).Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
let spent = 0;
for (let done = 0; done < Number(n); ) {
  if (visitor.left && visitor.left() === 0) await visitor.refill();
  const batch = [];
  for (let b = 0; b < 64 && done < Number(n) && (!visitor.left || visitor.left() > 0); b += 1, done += 1) batch.push(visitor.next());
  const t = performance.now();
  for (const body of batch) await bot.processNotifications(body);
  spent += performance.now() - t;
}
console.log(`${kind}: ${Math.round((Number(n) / spent) * 1000)}/s over ${calls} calls, ${events} events`);
if (session) {
  const { profile } = await session.post('Profiler.stop');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const dir = new URL('../bench-results/profiles/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`kinds-${kind}-${Date.now()}.cpuprofile`, dir);
  writeFileSync(file, JSON.stringify(profile));
  console.log(`profile: ${file.pathname}`);
}
await bot.close();
