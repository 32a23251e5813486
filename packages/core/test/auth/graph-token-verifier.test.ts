import { describe, it, expect, beforeAll } from '@jest/globals';
import { base64url, CompactSign, exportSPKI, SignJWT, generateKeyPair } from 'jose';
import { createGraphTokenVerifier, TokenVerificationError, type TokenVerifier } from '../../src/auth/index.js';
import { APP_ID, ISSUER, TENANT_ID, expectRefusal, makeKey, nowSeconds, signToken, type TestKey } from './helpers.js';

let key: TestKey;
let foreign: TestKey;
let verifier: TokenVerifier;

beforeAll(async () => {
  key = await makeKey('graph-key-1');
  foreign = await makeKey('attacker-key');
  verifier = createGraphTokenVerifier({ logger: false, appId: APP_ID, jwks: { keys: [key.jwk] }, cacheMaxEntries: 0 });
});

const bearer = (token: string): string => `Bearer ${token}`;

describe('createGraphTokenVerifier: acceptance', () => {
  it('resolves the caller of a valid token', async () => {
    const token = await signToken(key, { correlationId: 'c-1' });
    const caller = await verifier.verify(bearer(token));
    expect(caller).toMatchObject({ tenantId: TENANT_ID, appId: APP_ID, issuer: ISSUER });
    expect(caller.claims).toMatchObject({ aud: APP_ID, tid: TENANT_ID, correlationId: 'c-1' });
  });

  it('accepts both documented issuers by default', async () => {
    for (const iss of ['https://api.botframework.com', 'https://graph.microsoft.com']) {
      await expect(verifier.verify(bearer(await signToken(key, { iss })))).resolves.toMatchObject({ issuer: iss });
    }
  });

  it('accepts the scheme in any case and with extra spaces around the token', async () => {
    const token = await signToken(key);
    await expect(verifier.verify(`bearer ${token}`)).resolves.toMatchObject({ tenantId: TENANT_ID });
    await expect(verifier.verify(`  BEARER   ${token} `)).resolves.toMatchObject({ tenantId: TENANT_ID });
  });

  it('accepts exp and nbf off by less than the clock tolerance', async () => {
    await expect(verifier.verify(bearer(await signToken(key, { exp: nowSeconds() - 200 })))).resolves.toBeDefined();
    await expect(verifier.verify(bearer(await signToken(key, { nbf: nowSeconds() + 200 })))).resolves.toBeDefined();
  });

  it('uses the configured issuers and tenant allow-list (case-insensitively)', async () => {
    const custom = createGraphTokenVerifier({ logger: false, appId: APP_ID, jwks: { keys: [key.jwk] }, issuers: ['https://issuer.example'], allowedTenantIds: [TENANT_ID.toUpperCase()] });
    await expect(custom.verify(bearer(await signToken(key, { iss: 'https://issuer.example' })))).resolves.toMatchObject({ tenantId: TENANT_ID });
    await expectRefusal(custom, bearer(await signToken(key)), 'invalid_issuer');
  });
});

describe('createGraphTokenVerifier: header refusals', () => {
  it('refuses a missing or empty header with missing_token', async () => {
    await expectRefusal(verifier, undefined, 'missing_token');
    await expectRefusal(verifier, '', 'missing_token');
    await expectRefusal(verifier, '   ', 'missing_token');
  });

  it('refuses anything but "Bearer <one token>" with malformed_header', async () => {
    const token = await signToken(key);
    await expectRefusal(verifier, `Basic ${token}`, 'malformed_header');
    await expectRefusal(verifier, token, 'malformed_header');
    await expectRefusal(verifier, 'Bearer', 'malformed_header');
    await expectRefusal(verifier, `Bearer ${token} ${token}`, 'malformed_header');
    await expectRefusal(verifier, `Bearer:${token}`, 'malformed_header');
  });
});

describe('createGraphTokenVerifier: token refusals', () => {
  it('refuses garbage with malformed_token', async () => {
    await expectRefusal(verifier, 'Bearer garbage', 'malformed_token');
    await expectRefusal(verifier, 'Bearer a.b.c', 'malformed_token');
    await expectRefusal(verifier, 'Bearer e30.e30.e30.e30', 'malformed_token');
  });

  it('refuses a correctly signed token whose payload is not a JSON object with malformed_token', async () => {
    const token = await new CompactSign(new TextEncoder().encode('not json')).setProtectedHeader({ alg: 'RS256', kid: key.kid }).sign(key.privateKey);
    await expectRefusal(verifier, bearer(token), 'malformed_token');
  });

  it('refuses an unsigned alg "none" token with unsupported_algorithm', async () => {
    const encode = (value: object): string => base64url.encode(JSON.stringify(value));
    const payload = { aud: APP_ID, iss: ISSUER, tid: TENANT_ID, exp: nowSeconds() + 3600 };
    await expectRefusal(verifier, bearer(`${encode({ alg: 'none', typ: 'JWT', kid: key.kid })}.${encode(payload)}.`), 'unsupported_algorithm');
    await expectRefusal(verifier, bearer(`${encode({ alg: 'none', typ: 'JWT' })}.${encode(payload)}.AAAA`), 'unsupported_algorithm');
  });

  it('refuses HS256 signed with the public key as the secret with unsupported_algorithm', async () => {
    const claims = { aud: APP_ID, iss: ISSUER, tid: TENANT_ID, exp: nowSeconds() + 3600 };
    for (const secret of [await exportSPKI(key.publicKey), JSON.stringify(key.jwk)]) {
      const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: key.kid }).sign(new TextEncoder().encode(secret));
      await expectRefusal(verifier, bearer(token), 'unsupported_algorithm');
    }
  });

  it('refuses other asymmetric algorithms with unsupported_algorithm', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const es256 = await new SignJWT({ aud: APP_ID, iss: ISSUER, tid: TENANT_ID }).setProtectedHeader({ alg: 'ES256', kid: key.kid }).setExpirationTime('1h').sign(privateKey);
    await expectRefusal(verifier, bearer(es256), 'unsupported_algorithm');
    const { privateKey: rsa } = await generateKeyPair('PS256');
    const ps256 = await new SignJWT({ aud: APP_ID, iss: ISSUER, tid: TENANT_ID }).setProtectedHeader({ alg: 'PS256', kid: key.kid }).setExpirationTime('1h').sign(rsa);
    await expectRefusal(verifier, bearer(ps256), 'unsupported_algorithm');
  });

  it('refuses a token signed by a foreign key that claims a known kid with invalid_signature', async () => {
    await expectRefusal(verifier, bearer(await signToken(foreign, {}, { kid: key.kid })), 'invalid_signature');
  });

  it('refuses a token whose payload was altered after signing with invalid_signature', async () => {
    const [header, , signature] = (await signToken(key)).split('.');
    const forgedPayload = base64url.encode(JSON.stringify({ aud: APP_ID, iss: ISSUER, tid: 'another-tenant', exp: nowSeconds() + 3600 }));
    await expectRefusal(verifier, bearer(`${header}.${forgedPayload}.${signature}`), 'invalid_signature');
  });

  it('refuses a kid that is not in a static key set with unknown_key', async () => {
    await expectRefusal(verifier, bearer(await signToken(foreign)), 'unknown_key');
  });

  it('refuses an expired token beyond the tolerance with expired', async () => {
    const refusal = await expectRefusal(verifier, bearer(await signToken(key, { exp: nowSeconds() - 301 })), 'expired');
    expect(refusal.message).toMatch(/expired at \d{4}-/);
  });

  it('refuses a token not valid before a time beyond the tolerance with not_yet_valid', async () => {
    await expectRefusal(verifier, bearer(await signToken(key, { nbf: nowSeconds() + 400 })), 'not_yet_valid');
    const strict = createGraphTokenVerifier({ logger: false, appId: APP_ID, jwks: { keys: [key.jwk] }, clockToleranceSeconds: 0 });
    await expectRefusal(strict, bearer(await signToken(key, { nbf: nowSeconds() + 30 })), 'not_yet_valid');
    await expectRefusal(strict, bearer(await signToken(key, { exp: nowSeconds() - 30 })), 'expired');
  });

  it('refuses a wrong, missing or multiple audience with invalid_audience', async () => {
    await expectRefusal(verifier, bearer(await signToken(key, { aud: 'another-app' })), 'invalid_audience');
    await expectRefusal(verifier, bearer(await signToken(key, { aud: undefined })), 'invalid_audience');
    await expectRefusal(verifier, bearer(await signToken(key, { aud: [APP_ID, 'another-app'] })), 'invalid_audience');
  });

  it('refuses an unknown or missing issuer with invalid_issuer', async () => {
    await expectRefusal(verifier, bearer(await signToken(key, { iss: 'https://login.microsoftonline.com/x/v2.0' })), 'invalid_issuer');
    await expectRefusal(verifier, bearer(await signToken(key, { iss: undefined })), 'invalid_issuer');
  });

  it('refuses a token without a usable tid with missing_tenant', async () => {
    await expectRefusal(verifier, bearer(await signToken(key, { tid: undefined })), 'missing_tenant');
    await expectRefusal(verifier, bearer(await signToken(key, { tid: '' })), 'missing_tenant');
    await expectRefusal(verifier, bearer(await signToken(key, { tid: 42 })), 'missing_tenant');
  });

  it('refuses a tenant outside allowedTenantIds with tenant_not_allowed', async () => {
    const restricted = createGraphTokenVerifier({ logger: false, appId: APP_ID, jwks: { keys: [key.jwk] }, allowedTenantIds: ['11111111-1111-1111-1111-111111111111'] });
    await expectRefusal(restricted, bearer(await signToken(key)), 'tenant_not_allowed');
  });

  it('refuses a token without a numeric exp with invalid_claims', async () => {
    await expectRefusal(verifier, bearer(await signToken(key, { exp: undefined })), 'invalid_claims');
    await expectRefusal(verifier, bearer(await signToken(key, { exp: 'tomorrow' })), 'invalid_claims');
    await expectRefusal(verifier, bearer(await signToken(key, { nbf: 'now' })), 'invalid_claims');
  });

  it('refuses with an error that is safe to log', async () => {
    const token = await signToken(key, { aud: 'x'.repeat(500) });
    const refusal = await expectRefusal(verifier, bearer(token), 'invalid_audience');
    expect(refusal.message.length).toBeLessThan(200);
    expect(JSON.stringify({ ...refusal, message: refusal.message })).not.toContain(token);
    expect(refusal).toBeInstanceOf(TokenVerificationError);
  });
});

describe('createGraphTokenVerifier: token lifetime', () => {
  const day = 24 * 60 * 60;

  it('refuses a token valid for 100 years with lifetime_too_long', async () => {
    const refusal = await expectRefusal(verifier, bearer(await signToken(key, { exp: nowSeconds() + 100 * 365 * day })), 'lifetime_too_long');
    expect(refusal.message).toMatch(/86400 seconds/);
  });

  it('measures the lifetime from iat, from nbf, and from now when the token has neither', async () => {
    await expectRefusal(verifier, bearer(await signToken(key, { nbf: undefined, iat: nowSeconds() - 2 * day })), 'lifetime_too_long');
    await expectRefusal(verifier, bearer(await signToken(key, { iat: undefined, nbf: nowSeconds() - 2 * day })), 'lifetime_too_long');
    await expectRefusal(verifier, bearer(await signToken(key, { iat: undefined, nbf: undefined, exp: nowSeconds() + 2 * day })), 'lifetime_too_long');
    await expect(verifier.verify(bearer(await signToken(key, { iat: undefined, nbf: undefined, exp: nowSeconds() + 3600 })))).resolves.toBeDefined();
    await expect(verifier.verify(bearer(await signToken(key, { iat: nowSeconds() - 3600, nbf: nowSeconds() - 3600, exp: nowSeconds() + day - 3600 })))).resolves.toBeDefined();
  });

  it('honours maxTokenLifetimeSeconds', async () => {
    const strict = createGraphTokenVerifier({ logger: false, appId: APP_ID, jwks: { keys: [key.jwk] }, maxTokenLifetimeSeconds: 3600 });
    await expect(strict.verify(bearer(await signToken(key, { nbf: undefined, exp: nowSeconds() + 1800 })))).resolves.toBeDefined();
    await expectRefusal(strict, bearer(await signToken(key, { nbf: undefined, exp: nowSeconds() + 7200 })), 'lifetime_too_long');
    const lenient = createGraphTokenVerifier({ logger: false, appId: APP_ID, jwks: { keys: [key.jwk] }, maxTokenLifetimeSeconds: 7 * day });
    await expect(lenient.verify(bearer(await signToken(key, { exp: nowSeconds() + 3 * day })))).resolves.toBeDefined();
  });

  it('refuses an iat further in the future than the clock tolerance with issued_in_future', async () => {
    await expect(verifier.verify(bearer(await signToken(key, { iat: nowSeconds() + 200 })))).resolves.toBeDefined();
    await expectRefusal(verifier, bearer(await signToken(key, { iat: nowSeconds() + 400 })), 'issued_in_future');
    const strict = createGraphTokenVerifier({ logger: false, appId: APP_ID, jwks: { keys: [key.jwk] }, clockToleranceSeconds: 0 });
    await expectRefusal(strict, bearer(await signToken(key, { iat: nowSeconds() + 30 })), 'issued_in_future');
  });

  it('refuses a token without exp even under a generous lifetime', async () => {
    const lenient = createGraphTokenVerifier({ logger: false, appId: APP_ID, jwks: { keys: [key.jwk] }, maxTokenLifetimeSeconds: 1e9 });
    await expectRefusal(lenient, bearer(await signToken(key, { exp: undefined })), 'invalid_claims');
  });
});

describe('createGraphTokenVerifier: options', () => {
  it('throws TypeError at once on configurations that could only fail later', () => {
    const jwks = { keys: [key.jwk] };
    expect(() => createGraphTokenVerifier({ logger: false, appId: '', jwks })).toThrow(TypeError);
    expect(() => createGraphTokenVerifier({ logger: false, appId: APP_ID, jwks, openIdConfigurationUrl: 'https://example.test/openid' })).toThrow(TypeError);
    expect(() => createGraphTokenVerifier({ logger: false, appId: APP_ID, jwks, allowedTenantIds: [] })).toThrow(TypeError);
    expect(() => createGraphTokenVerifier({ logger: false, appId: APP_ID, jwks, issuers: [] })).toThrow(TypeError);
    expect(() => createGraphTokenVerifier({ logger: false, appId: APP_ID, jwks, clockToleranceSeconds: -1 })).toThrow(TypeError);
    expect(() => createGraphTokenVerifier({ logger: false, appId: APP_ID, jwks, cacheMaxEntries: 1.5 })).toThrow(TypeError);
    expect(() => createGraphTokenVerifier({ logger: false, appId: APP_ID, jwks, timeoutMs: Number.NaN })).toThrow(TypeError);
    expect(() => createGraphTokenVerifier({ logger: false, appId: APP_ID, openIdConfigurationUrl: '/openid' })).toThrow(TypeError);
    for (const maxTokenLifetimeSeconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createGraphTokenVerifier({ logger: false, appId: APP_ID, jwks, maxTokenLifetimeSeconds })).toThrow(TypeError);
    }
    expect(() => createGraphTokenVerifier({ logger: false, appId: APP_ID, jwks: { keys: 'none' } as never })).toThrow();
  });
});
