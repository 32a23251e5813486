// `node --cpu-prof bench/profile-handle.mjs [requests]`: bot.handleRequest in-process, no HTTP, a
// verified (cached) token and every request a new call; prints the rate against JSON.parse of the
// same bodies. For finding where the time of the callback path goes, not for figures.
import { CallingBot, createGraphTokenVerifier } from '@graph-comms/core';
import { APP_ID, rosterJson, signedToken } from './lib/fixtures.mjs';

const n = Number(process.argv[2] ?? 200_000);
const { jwks, token } = await signedToken();
const bot = new CallingBot({ appId: APP_ID, logger: false, tokenVerifier: createGraphTokenVerifier({ appId: APP_ID, jwks }) });
bot.on('rosterUpdated', () => undefined);
const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
const bodies = Array.from({ length: 1000 }, (_, i) => Buffer.from(rosterJson(i, 1, false)));
let floor = 0;
let t = performance.now();
for (let i = 0; i < n; i++) floor += JSON.parse(bodies[i % 1000].toString('utf8')).value.length;
const floorMs = performance.now() - t;
t = performance.now();
for (let i = 0; i < n; i++) {
  const body = Buffer.from(rosterJson(i, 1, false));
  const answer = await bot.handleRequest({ headers, body: () => Promise.resolve(body) });
  if (answer.status !== 202) throw new Error(`answered ${answer.status}`);
}
const botMs = performance.now() - t;
console.log(`floor ${Math.round((n / floorMs) * 1000)}/s, bot ${Math.round((n / botMs) * 1000)}/s (${((botMs * 1000) / n).toFixed(2)} µs per callback, ${floor > 0 ? 'ok' : ''})`);
await bot.close();
