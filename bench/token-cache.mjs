// Verifications per second of one repeated valid token, with the verified-token cache on and off.
// Graph puts the same bearer token on many callbacks; the cache should make repeats cheap.
// Run after `npm run build`:  node bench/token-cache.mjs [secondsPerRun]
import { performance } from 'node:perf_hooks';
import { createGraphTokenVerifier } from '@graph-comms/core';
import { APP_ID as appId, signedToken } from './lib/fixtures.mjs';

const seconds = Number(process.argv[2] ?? 3);
const { jwks, token } = await signedToken();
const header = `Bearer ${token}`;

/** Runs sequential verifications for `ms` milliseconds; returns verifications per second. */
async function rate(verifier, ms) {
  let count = 0;
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i += 1) await verifier.verify(header);
    count += 100;
  }
  return count / ((performance.now() - start) / 1000);
}

const results = {};
for (const [name, cacheMaxEntries] of [['cache off', 0], ['cache on', 10_000]]) {
  const verifier = createGraphTokenVerifier({ appId, jwks, cacheMaxEntries });
  await rate(verifier, 300); // warm-up: JIT, key import
  results[name] = await rate(verifier, seconds * 1000);
  console.log(`${name.padEnd(9)} ${Math.round(results[name]).toLocaleString('en-US').padStart(12)} verifications/s`);
}
console.log(`ratio     ${(results['cache on'] / results['cache off']).toFixed(1)}x faster with the cache`);
