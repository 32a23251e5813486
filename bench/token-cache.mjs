// Verifications per second of one repeated valid token, with the verified-token cache on and off.
// Graph puts the same bearer token on many callbacks; the cache should make repeats cheap.
// Run after `npx tsc -b packages/core`:  node bench/token-cache.mjs [secondsPerRun]
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createGraphTokenVerifier } from '../packages/core/dist/auth/index.js';
import { performance } from 'node:perf_hooks';

const seconds = Number(process.argv[2] ?? 3);
const appId = '2c1b9f4e-6d3a-4c8e-9b7f-0a1d2e3f4a5b';
const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', use: 'sig', alg: 'RS256' }] };
const token = await new SignJWT({ aud: appId, iss: 'https://api.botframework.com', tid: '72f988bf-86f1-41af-91ab-2d7cd011db47' })
  .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'k1' })
  .setIssuedAt()
  .setExpirationTime('1h')
  .sign(privateKey);
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
