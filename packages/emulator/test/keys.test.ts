/** The OpenID configuration, the key set, key rotation and tokens issued on demand. */
import { describe, it, expect } from '@jest/globals';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { useEmulator, user } from './helpers.js';

describe('keys and OpenID configuration', () => {
  const env = useEmulator({ tenantId: 'tenant-1', appId: 'bot-app-1', issuer: 'https://graph.microsoft.com' }, 'resetBot');

  const jwks = async (): Promise<JSONWebKeySet> => (await (await fetch(env.emulator.jwksUrl)).json()) as JSONWebKeySet;

  /** Makes the emulator send one callback and returns its token. */
  async function callbackToken(): Promise<string> {
    const call = env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group' });
    env.emulator.addParticipant(call.id, user('someone'));
    await env.emulator.idle();
    return String(env.bot.received.at(-1)?.headers.authorization).slice('Bearer '.length);
  }

  it('serves the OpenID configuration at /v1/.well-known/OpenIdConfiguration', async () => {
    expect(env.emulator.openIdConfigurationUrl).toBe(`${env.emulator.url}v1/.well-known/OpenIdConfiguration`);
    const response = await fetch(env.emulator.openIdConfigurationUrl);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      issuer: 'https://graph.microsoft.com',
      jwks_uri: env.emulator.jwksUrl,
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('serves public RSA keys only, with kid, use and alg', async () => {
    const { keys } = await jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', kid: env.emulator.signingKeyId, use: 'sig', alg: 'RS256', e: 'AQAB' });
    expect(keys[0]?.d).toBeUndefined();
    expect(keys[0]?.p).toBeUndefined();
  });

  it('rotateKeys: a new kid signs new callbacks; the old key stays published', async () => {
    const oldToken = await callbackToken();
    const oldKid = env.emulator.signingKeyId;
    const newKid = await env.emulator.rotateKeys();
    expect(newKid).not.toBe(oldKid);
    expect(env.emulator.signingKeyId).toBe(newKid);
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([oldKid, newKid]);

    const newToken = await callbackToken();
    expect(decodeProtectedHeader(newToken).kid).toBe(newKid);
    const keySet = createRemoteJWKSet(new URL(env.emulator.jwksUrl));
    const options = { issuer: 'https://graph.microsoft.com', audience: 'bot-app-1' };
    await expect(jwtVerify(oldToken, keySet, options)).resolves.toMatchObject({ protectedHeader: { kid: oldKid } });
    await expect(jwtVerify(newToken, keySet, options)).resolves.toMatchObject({ payload: { tid: 'tenant-1' } });
  });

  it('rotateKeys({ dropOld: true }): only the new key is published and old tokens no longer verify', async () => {
    const oldToken = await callbackToken();
    const newKid = await env.emulator.rotateKeys({ dropOld: true });
    const set = await jwks();
    expect(set.keys.map((k) => k.kid)).toEqual([newKid]);
    await expect(jwtVerify(oldToken, createLocalJWKSet(set))).rejects.toThrow();
    await expect(jwtVerify(await callbackToken(), createLocalJWKSet(set), { audience: 'bot-app-1' })).resolves.toBeDefined();
  });

  it('issueToken: tokens with overridden claims, for tests of a verifier', async () => {
    const set = createLocalJWKSet(await jwks());
    const expired = await env.emulator.issueToken({ iat: 1_000_000, exp: 1_000_060 });
    await expect(jwtVerify(expired, set)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
    const wrongAudience = await env.emulator.issueToken({ aud: 'someone-else' });
    await expect(jwtVerify(wrongAudience, set, { audience: 'bot-app-1' })).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
    const noTenant = decodeJwt(await env.emulator.issueToken({ tid: null, claims: { extra: 'yes' } }));
    expect(noTenant.tid).toBeUndefined();
    expect(noTenant.extra).toBe('yes');
    await expect(env.emulator.issueToken({ kid: 'no-such-key' })).rejects.toThrow('no signing key');
  });
});
