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

  it('keys entries by the SHA-256 of the token, never the token', async () => {
    const cache = new VerifiedTokenCache<string>(10, inAnHour);
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzZWNyZXQiOnRydWV9.c2lnbmF0dXJl';
    await cache.verify(token, async () => 'ok');
    const keys = [...(cache as unknown as { entries: Map<string, unknown> }).entries.keys()];
    expect(keys).toEqual([createHash('sha256').update(token).digest('base64url')]);
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

  it('rejects a bad bound', () => {
    expect(() => new VerifiedTokenCache(-1, inAnHour)).toThrow(TypeError);
    expect(() => new VerifiedTokenCache(Number.POSITIVE_INFINITY, inAnHour)).toThrow(TypeError);
  });
});
