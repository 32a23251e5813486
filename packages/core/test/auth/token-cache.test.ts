import { describe, it, expect, beforeAll, afterEach, jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createGraphTokenVerifier, type GraphTokenVerifierOptions } from '../../src/auth/index.js';
import { VerifiedTokenCache } from '../../src/auth/token-cache.js';
import { APP_ID, TENANT_ID, expectRefusal, makeKey, nowSeconds, signToken, type TestKey } from './helpers.js';

let key: TestKey;

beforeAll(async () => {
  key = await makeKey('graph-key-1');
});

afterEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
});

/** Counts signature checks: jose verifies every RS256 signature with WebCrypto's `subtle.verify`. */
const countSignatureChecks = () => jest.spyOn(crypto.subtle, 'verify');

const verifierWith = (options: Partial<GraphTokenVerifierOptions> = {}) => createGraphTokenVerifier({ appId: APP_ID, jwks: { keys: [key.jwk] }, ...options });

/** Moves only `Date` (what jose and the cache read): WebCrypto and the event loop keep running for real. */
function setClock(epochMs: number): void {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
  jest.setSystemTime(epochMs);
}

describe('verified token cache, through the verifier', () => {
  it('gives a token whose header or payload were altered under a cached signature the verified claims, never its own', async () => {
    const verifier = verifierWith();
    const token = await signToken(key, { tid: TENANT_ID });
    const verified = await verifier.verify(`Bearer ${token}`);
    const [, , signature] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ aud: APP_ID, tid: 'another-tenant', exp: nowSeconds() + 86_400 * 365 })).toString('base64url');
    const forged = `${token.split('.')[0]}.${forgedPayload}.${signature}`;
    const caller = await verifier.verify(`Bearer ${forged}`); // what replaying the verified token would give
    expect(caller).toEqual(verified);
    expect(caller.tenantId).toBe(TENANT_ID);
    // Once the cache cannot vouch for it, the forgery is checked in full, and refused.
    await expectRefusal(verifierWith(), `Bearer ${forged}`, 'invalid_signature');
  });


  it('checks the signature of a repeated token once', async () => {
    const verifier = verifierWith();
    const token = await signToken(key);
    const checks = countSignatureChecks();
    const first = await verifier.verify(`Bearer ${token}`);
    const second = await verifier.verify(`Bearer ${token}`);
    expect(checks).toHaveBeenCalledTimes(1);
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(Object.isFrozen(second.claims)).toBe(true);
    await verifier.verify(`Bearer ${await signToken(key, { correlationId: 'other' })}`);
    expect(checks).toHaveBeenCalledTimes(2);
  });

  it('checks every time with cacheMaxEntries: 0', async () => {
    const verifier = verifierWith({ cacheMaxEntries: 0 });
    const token = await signToken(key);
    const checks = countSignatureChecks();
    await verifier.verify(`Bearer ${token}`);
    await verifier.verify(`Bearer ${token}`);
    expect(checks).toHaveBeenCalledTimes(2);
  });

  it('shares one check between concurrent callbacks carrying the same new token', async () => {
    const verifier = verifierWith();
    const token = await signToken(key);
    const checks = countSignatureChecks();
    await Promise.all([1, 2, 3, 4].map(() => verifier.verify(`Bearer ${token}`)));
    expect(checks).toHaveBeenCalledTimes(1);
  });

  it('does not cache refusals', async () => {
    const verifier = verifierWith();
    const token = await signToken(key, { aud: 'another-app' });
    const checks = countSignatureChecks();
    await expectRefusal(verifier, `Bearer ${token}`, 'invalid_audience');
    await expectRefusal(verifier, `Bearer ${token}`, 'invalid_audience');
    expect(checks).toHaveBeenCalledTimes(2);
  });

  it('refuses a cached token once its exp has passed', async () => {
    const verifier = verifierWith({ clockToleranceSeconds: 0 });
    const exp = nowSeconds() + 60;
    const token = await signToken(key, { exp });
    await verifier.verify(`Bearer ${token}`);
    await verifier.verify(`Bearer ${token}`);
    setClock(exp * 1000 + 1);
    await expectRefusal(verifier, `Bearer ${token}`, 'expired');
  });

  it('keeps a cached entry no longer than exp: the clock tolerance then applies as on a fresh check', async () => {
    const verifier = verifierWith({ clockToleranceSeconds: 300 });
    const exp = nowSeconds() + 60;
    const token = await signToken(key, { exp });
    await verifier.verify(`Bearer ${token}`);
    const checks = countSignatureChecks();
    setClock((exp + 100) * 1000);
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toBeDefined(); // within tolerance, but checked afresh
    expect(checks).toHaveBeenCalledTimes(1);
    setClock((exp + 301) * 1000);
    await expectRefusal(verifier, `Bearer ${token}`, 'expired');
  });

  it('applies allowedTenantIds to cached tokens too', async () => {
    const verifier = verifierWith({ allowedTenantIds: ['11111111-1111-1111-1111-111111111111'] });
    const token = await signToken(key);
    const checks = countSignatureChecks();
    await expectRefusal(verifier, `Bearer ${token}`, 'tenant_not_allowed');
    await expectRefusal(verifier, `Bearer ${token}`, 'tenant_not_allowed');
    expect(checks).toHaveBeenCalledTimes(1); // the second refusal came from a cache hit
    const allowed = verifierWith({ allowedTenantIds: [TENANT_ID] });
    await expect(allowed.verify(`Bearer ${token}`)).resolves.toMatchObject({ tenantId: TENANT_ID });
  });

  it('stays bounded, evicting the least recently used token', async () => {
    const verifier = verifierWith({ cacheMaxEntries: 2 });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((correlationId) => signToken(key, { correlationId })));
    const checks = countSignatureChecks();
    for (const token of [a, b, a, c]) await verifier.verify(`Bearer ${token}`); // c evicts b, the least recently used
    expect(checks).toHaveBeenCalledTimes(3);
    await verifier.verify(`Bearer ${a}`);
    await verifier.verify(`Bearer ${c}`);
    expect(checks).toHaveBeenCalledTimes(3);
    await verifier.verify(`Bearer ${b}`);
    expect(checks).toHaveBeenCalledTimes(4);
  });
});

describe('VerifiedTokenCache', () => {
  const inAnHour = () => Date.now() + 3_600_000;

  it('never holds more than maxEntries', async () => {
    const cache = new VerifiedTokenCache<number>(10, inAnHour);
    for (let i = 0; i < 1000; i += 1) await cache.verify(`token-${i}`, async () => i);
    expect(cache.size).toBe(10);
  });

  it('keys entries by the SHA-256 of the signature of a signed token, else of the whole token, never the token', async () => {
    const cache = new VerifiedTokenCache<string>(10, inAnHour);
    const signature = 's'.repeat(342); // an RS256 signature of a 2048-bit key, in base64url
    const signed = `eyJhbGciOiJSUzI1NiJ9.eyJzZWNyZXQiOnRydWV9.${signature}`;
    const short = 'eyJhbGciOiJSUzI1NiJ9.eyJzZWNyZXQiOnRydWV9.c2lnbmF0dXJl'; // no RSA signature: hashed whole
    await cache.verify(signed, async () => 'ok');
    await cache.verify(short, async () => 'ok');
    const keys = [...(cache as unknown as { entries: Map<string, unknown> }).entries.keys()];
    expect(keys).toEqual([createHash('sha256').update(signature).digest('base64url'), createHash('sha256').update(short).digest('base64url')]);
    expect(keys.join()).not.toContain(signature.slice(0, 16));
  });

  it('does not cache what has no future expiry', async () => {
    let expiry = Number.NaN;
    const cache = new VerifiedTokenCache<number>(10, () => expiry);
    const verify = jest.fn(async () => 1);
    await cache.verify('t', verify);
    expiry = Date.now() - 1;
    await cache.verify('t', verify);
    await cache.verify('t', verify);
    expect(verify).toHaveBeenCalledTimes(3);
    expect(cache.size).toBe(0);
  });

  it('evicts the least recently used first over a long run of hits, misses and evictions', async () => {
    const max = 64;
    const cache = new VerifiedTokenCache<number>(max, inAnHour);
    const model: number[] = []; // what must be cached, least recently used first
    let seed = 7;
    const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const mismatches: string[] = [];
    for (let step = 0; step < 30_000 && mismatches.length === 0; step += 1) {
      // Skewed ids: a hot set hit over and over (each hit deletes and re-inserts), and a long cold tail.
      const id = random() < 0.7 ? Math.floor(random() * 48) : 48 + Math.floor(random() * 400);
      let verified = false;
      await cache.verify(`token-${id}`, async () => ((verified = true), id));
      const at = model.indexOf(id);
      if (verified === (at >= 0)) mismatches.push(`step ${step}: token-${id} ${verified ? 'was verified though cached' : 'came from the cache though evicted'}`);
      if (at >= 0) model.splice(at, 1);
      model.push(id);
      if (model.length > max) model.shift();
      if (cache.size !== model.length) mismatches.push(`step ${step}: size ${cache.size}, expected ${model.length}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('forgets the entries of removed keys and of tokens without a kid, and does not store a verification that ran meanwhile', async () => {
    const cache = new VerifiedTokenCache<{ kid: string | undefined }>(10, inAnHour, (value) => value.kid);
    await cache.verify('a', async () => ({ kid: 'k1' }));
    await cache.verify('b', async () => ({ kid: 'k2' }));
    await cache.verify('c', async () => ({ kid: undefined }));
    let release: (() => void) | undefined;
    const running = cache.verify('d', () => new Promise((resolve) => (release = () => resolve({ kid: 'k2' }))));
    cache.forgetKeys(new Set(['k1']));
    const fresh = jest.fn(async () => ({ kid: 'k2' }));
    const joined = cache.verify('d', fresh); // does not join the verification started before the removal
    release?.();
    await Promise.all([running, joined]);
    expect(fresh).toHaveBeenCalledTimes(1);
    const verify = jest.fn(async () => ({ kid: 'k2' }));
    await cache.verify('b', verify);
    await cache.verify('d', verify);
    expect(verify).toHaveBeenCalledTimes(0);
    await cache.verify('a', verify);
    await cache.verify('c', verify);
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('rejects a bad bound', () => {
    expect(() => new VerifiedTokenCache(-1, inAnHour)).toThrow(TypeError);
    expect(() => new VerifiedTokenCache(Number.POSITIVE_INFINITY, inAnHour)).toThrow(TypeError);
  });
});
