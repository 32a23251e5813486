import { describe, it, expect, beforeAll, afterAll, afterEach, jest } from '@jest/globals';
import { jwtVerify } from 'jose';
import { createGraphTokenVerifier, type GraphTokenVerifierOptions } from '../../src/auth/index.js';
import { createJwksUriDiscovery } from '../../src/auth/discovery.js';
import { createKeySource } from '../../src/auth/key-source.js';
import type { Logger } from '../../src/logger.js';
import { APP_ID, TENANT_ID, deadUrl, expectRefusal, makeKey, signToken, sleep, startKeyServer, waitFor, type KeyServer, type TestKey } from './helpers.js';

let current: TestKey;
let rotated: TestKey;
let forger: TestKey;
const servers: KeyServer[] = [];

beforeAll(async () => {
  [current, rotated, forger] = await Promise.all([makeKey('current'), makeKey('rotated'), makeKey('forged')]);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

afterEach(() => {
  jest.restoreAllMocks();
  jest.useRealTimers();
});

async function serve(keys = [current.jwk]): Promise<KeyServer> {
  const server = await startKeyServer(keys);
  servers.push(server);
  return server;
}

function discovering(server: KeyServer, options: Partial<GraphTokenVerifierOptions> = {}) {
  return createGraphTokenVerifier({ appId: APP_ID, openIdConfigurationUrl: server.openIdUrl, cacheMaxEntries: 0, timeoutMs: 2000, ...options });
}

function recordingLogger(): Logger & { warnings: Array<[Record<string, unknown>, string | undefined]> } {
  const warnings: Array<[Record<string, unknown>, string | undefined]> = [];
  const noop = () => undefined;
  return { warnings, debug: noop, info: noop, error: noop, warn: (fields, message) => void warnings.push([fields, message]) };
}

describe('key discovery', () => {
  it('fetches nothing until the first verification, then the document and the keys once', async () => {
    const server = await serve();
    const verifier = discovering(server);
    await sleep(20);
    expect(server.counts).toEqual({ openid: 0, keys: 0 });
    await expect(verifier.verify(`Bearer ${await signToken(current)}`)).resolves.toMatchObject({ tenantId: TENANT_ID });
    await verifier.verify(`Bearer ${await signToken(current, { iss: 'https://graph.microsoft.com' })}`);
    await Promise.all([1, 2, 3].map(async () => verifier.verify(`Bearer ${await signToken(current)}`)));
    expect(server.counts).toEqual({ openid: 1, keys: 1 });
  });

  it('shares the first download between concurrent callbacks', async () => {
    const server = await serve();
    const verifier = discovering(server);
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => signToken(current)));
    await Promise.all(tokens.map((token) => verifier.verify(`Bearer ${token}`)));
    expect(server.counts).toEqual({ openid: 1, keys: 1 });
  });

  it('refuses an unknown kid after exactly one refresh, and makes no request for another inside the cool-down', async () => {
    const server = await serve();
    const verifier = discovering(server, { keyRefreshCooldownMs: 1000 });
    await verifier.verify(`Bearer ${await signToken(current)}`);
    expect(server.counts.keys).toBe(1);
    const forged = await Promise.all(['forged-1', 'forged-2', 'forged-3'].map((kid) => signToken(forger, {}, { kid })));
    await sleep(1100); // the cool-down after the first download is over

    await expectRefusal(verifier, `Bearer ${forged[0]}`, 'unknown_key');
    expect(server.counts.keys).toBe(2);
    await expectRefusal(verifier, `Bearer ${forged[1]}`, 'unknown_key');
    expect(server.counts.keys).toBe(2);
    expect(server.counts.openid).toBe(1);
  });

  it('lets a flood of forged kids cause at most one download per cool-down', async () => {
    const server = await serve();
    const verifier = discovering(server); // default cool-down: 5 minutes
    const forged = await Promise.all(Array.from({ length: 30 }, (_, i) => signToken(forger, {}, { kid: `forged-${i}` })));
    // The very first callback carries an unknown kid: the initial download is its one refresh.
    await Promise.all(forged.map((token) => expectRefusal(verifier, `Bearer ${token}`, 'unknown_key')));
    for (const token of forged) await expectRefusal(verifier, `Bearer ${token}`, 'unknown_key');
    expect(server.counts).toEqual({ openid: 1, keys: 1 });
  });

  it('picks up a key that appears in the key set after start-up once the cool-down is over', async () => {
    const server = await serve();
    const verifier = discovering(server, { keyRefreshCooldownMs: 200 });
    await verifier.verify(`Bearer ${await signToken(current)}`);
    server.keys = [current.jwk, rotated.jwk]; // Microsoft publishes a new key
    const token = await signToken(rotated);
    await sleep(250);
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({ tenantId: TENANT_ID });
    expect(server.counts.keys).toBe(2);
    await verifier.verify(`Bearer ${await signToken(current)}`);
    expect(server.counts.keys).toBe(2);
  });

  it('refuses a foreign key presented under a known kid with invalid_signature, without downloading again', async () => {
    const server = await serve();
    const verifier = discovering(server);
    await expectRefusal(verifier, `Bearer ${await signToken(forger, {}, { kid: current.kid })}`, 'invalid_signature');
    expect(server.counts).toEqual({ openid: 1, keys: 1 });
  });
});

describe('key removal and the verified token cache', () => {
  /** Counts signature checks: jose verifies every RS256 signature with WebCrypto's `subtle.verify`. */
  const countSignatureChecks = () => jest.spyOn(crypto.subtle, 'verify');

  it('refuses a cached token once a refresh shows its signing key was rotated out, and keeps the others cached', async () => {
    const server = await serve([current.jwk, rotated.jwk]);
    const verifier = discovering(server, { cacheMaxEntries: 100, keyRefreshCooldownMs: 200 });
    const retiring = await signToken(current);
    const staying = await signToken(rotated);
    await verifier.verify(`Bearer ${retiring}`);
    await verifier.verify(`Bearer ${staying}`);
    const checks = countSignatureChecks();
    await verifier.verify(`Bearer ${retiring}`);
    expect(checks).toHaveBeenCalledTimes(0); // from the cache

    const next = await makeKey('next');
    server.keys = [rotated.jwk, next.jwk]; // Microsoft retires `current` and publishes `next`
    await sleep(250); // past the cool-down: the unknown kid of `next` refreshes the key set
    await expect(verifier.verify(`Bearer ${await signToken(next)}`)).resolves.toMatchObject({ tenantId: TENANT_ID });
    expect(server.counts.keys).toBe(2);

    await expectRefusal(verifier, `Bearer ${retiring}`, 'unknown_key');
    checks.mockClear();
    await verifier.verify(`Bearer ${staying}`);
    expect(checks).toHaveBeenCalledTimes(0); // its key stayed, so it stays cached
  });

  it('refuses a cached token whose kid was re-published with other key material', async () => {
    const server = await serve([current.jwk]);
    const verifier = discovering(server, { cacheMaxEntries: 100, keyRefreshCooldownMs: 200 });
    const token = await signToken(current);
    await verifier.verify(`Bearer ${token}`);
    server.keys = [{ ...forger.jwk, kid: current.kid }, rotated.jwk];
    await sleep(250);
    await verifier.verify(`Bearer ${await signToken(rotated)}`); // the refresh
    await expectRefusal(verifier, `Bearer ${token}`, 'invalid_signature');
  });

  it('refreshes stale keys in the background on a cache hit, so cached tokens follow a removal without new tokens', async () => {
    const server = await serve([current.jwk, rotated.jwk]);
    const verifier = discovering(server, { cacheMaxEntries: 100 });
    const start = Date.now();
    const token = await signToken(current, { exp: Math.floor(start / 1000) + 4 * 3600 });
    await verifier.verify(`Bearer ${token}`);
    server.keys = [rotated.jwk];
    // Only Date moves: the keys are now past their 2-hour max age.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
    jest.setSystemTime(start + 2 * 3600_000 + 60_000);
    await verifier.verify(`Bearer ${token}`); // a hit, answered at once; the refresh runs behind it
    for (let i = 0; i < 200 && server.counts.keys < 2; i += 1) await sleep(10);
    expect(server.counts.keys).toBe(2);
    await sleep(50);
    await expectRefusal(verifier, `Bearer ${token}`, 'unknown_key');
    expect(server.counts.keys).toBe(2);
  });
});

describe('key discovery failures', () => {
  it('answers keys_unavailable when the discovery endpoint is down', async () => {
    const logger = recordingLogger();
    const verifier = createGraphTokenVerifier({ appId: APP_ID, openIdConfigurationUrl: await deadUrl(), logger });
    const token = await signToken(current);
    await expectRefusal(verifier, `Bearer ${token}`, 'keys_unavailable');
    expect(logger.warnings).toHaveLength(1);
    expect(JSON.stringify(logger.warnings, (_k, v: unknown) => (v instanceof Error ? { message: v.message, cause: String(v.cause) } : v))).not.toContain(token);
  });

  it('answers keys_unavailable within the timeout when the discovery endpoint hangs', async () => {
    const server = await serve();
    server.mode.openid = 'hang';
    const verifier = discovering(server, { timeoutMs: 200 });
    const started = Date.now();
    await expectRefusal(verifier, `Bearer ${await signToken(current)}`, 'keys_unavailable');
    expect(Date.now() - started).toBeLessThan(1500);
    expect(server.counts.openid).toBe(1);
  });

  it('does not remember a failed discovery: the next callback tries again', async () => {
    const server = await serve();
    server.mode.openid = 'fail';
    const verifier = discovering(server);
    await expectRefusal(verifier, `Bearer ${await signToken(current)}`, 'keys_unavailable');
    server.mode.openid = 'ok';
    await expect(verifier.verify(`Bearer ${await signToken(current)}`)).resolves.toMatchObject({ tenantId: TENANT_ID });
    await verifier.verify(`Bearer ${await signToken(current)}`);
    expect(server.counts).toEqual({ openid: 2, keys: 1 });
  });

  it('answers keys_unavailable when the document has no jwks_uri', async () => {
    const server = await serve();
    server.jwksUriOverride = null;
    await expectRefusal(discovering(server), `Bearer ${await signToken(current)}`, 'keys_unavailable');
  });

  it('answers keys_unavailable when the key endpoint fails or hangs', async () => {
    const failing = await serve();
    failing.mode.keys = 'fail';
    await expectRefusal(discovering(failing), `Bearer ${await signToken(current)}`, 'keys_unavailable');
    const hanging = await serve();
    hanging.mode.keys = 'hang';
    const started = Date.now();
    await expectRefusal(discovering(hanging, { timeoutMs: 200 }), `Bearer ${await signToken(current)}`, 'keys_unavailable');
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('keeps the keys it has when a refresh fails, and leaves the key endpoint alone for the cool-down', async () => {
    const server = await serve();
    const logger = recordingLogger();
    const verifier = discovering(server, { keyRefreshCooldownMs: 300, logger });
    await verifier.verify(`Bearer ${await signToken(current)}`);
    server.mode.keys = 'fail';
    const unknown = await signToken(forger, {}, { kid: 'rotated-while-down' });
    await sleep(350);
    await expectRefusal(verifier, `Bearer ${unknown}`, 'unknown_key'); // the refresh it triggers fails
    expect(server.counts.keys).toBe(2);
    await expect(verifier.verify(`Bearer ${await signToken(current)}`)).resolves.toBeDefined();
    await expectRefusal(verifier, `Bearer ${unknown}`, 'unknown_key');
    expect(server.counts.keys).toBe(2);
    expect(logger.warnings.map(([fields]) => fields['usingPreviousKeys'])).toEqual([true]);
  });
});

describe('key source directly', () => {
  it('re-downloads keys once they are older than cacheMaxAgeMs and serves stale keys if that fails', async () => {
    const server = await serve();
    const keys = createKeySource({ openIdConfigurationUrl: server.openIdUrl, timeoutMs: 1000, cooldownMs: 10_000, cacheMaxAgeMs: 100, discoveryMaxAgeMs: 60_000, logger: recordingLogger() });
    const token = await signToken(current);
    await jwtVerify(token, keys);
    await sleep(150);
    await jwtVerify(token, keys);
    expect(server.counts.keys).toBe(2);
    server.mode.keys = 'fail';
    await sleep(150);
    await expect(jwtVerify(token, keys)).resolves.toBeDefined();
    await sleep(150);
    await expect(jwtVerify(token, keys)).resolves.toBeDefined(); // inside the cool-down: stale keys, no request
    expect(server.counts.keys).toBe(3);
  });

  it('re-reads the discovery document after its max age without making callers wait, and follows a moved jwks_uri', async () => {
    const server = await serve();
    const logger = recordingLogger();
    const discover = createJwksUriDiscovery({ url: server.openIdUrl, timeoutMs: 1000, maxAgeMs: 100, retryAfterMs: 100, logger });
    expect((await discover()).href).toBe(server.jwksUrl);
    server.jwksUriOverride = `${server.jwksUrl}?v=2`;
    server.mode.openid = 'hang';
    await sleep(150);
    expect((await discover()).href).toBe(server.jwksUrl); // answered at once from what it knew
    await waitFor(() => server.counts.openid === 2); // the re-read runs in the background
    server.mode.openid = 'ok';
    await sleep(1100); // the hanging re-read times out; the old address stays
    expect(logger.warnings).toHaveLength(1);
    expect((await discover()).href).toBe(server.jwksUrl);
    await waitFor(() => server.counts.openid === 3);
    await sleep(50);
    expect((await discover()).href).toBe(`${server.jwksUrl}?v=2`);
    expect(server.counts.openid).toBe(3);
  });
});
