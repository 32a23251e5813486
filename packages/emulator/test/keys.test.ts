/** The OpenID configuration, the key set, key rotation and tokens issued on demand. */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { GraphEmulator } from '../src/index.js';
import { TestBot, user } from './helpers.js';

describe('keys and OpenID configuration', () => {
  let emulator: GraphEmulator;
  let bot: TestBot;

  beforeAll(async () => {
    emulator = await GraphEmulator.start({ tenantId: 'tenant-1', appId: 'bot-app-1', issuer: 'https://graph.microsoft.com' });
    bot = await TestBot.start();
  });
  afterAll(async () => {
    await emulator.close();
    await bot.close();
  });
  beforeEach(() => bot.reset());

  const jwks = async (): Promise<JSONWebKeySet> => (await (await fetch(emulator.jwksUrl)).json()) as JSONWebKeySet;

  /** Makes the emulator send one callback and returns its token. */
  async function callbackToken(): Promise<string> {
    const call = emulator.createCall({ callbackUri: bot.url(), kind: 'group' });
    emulator.addParticipant(call.id, user('someone'));
    await emulator.idle();
    return String(bot.received.at(-1)?.headers.authorization).slice('Bearer '.length);
  }

  it('serves the OpenID configuration at /v1/.well-known/OpenIdConfiguration', async () => {
    expect(emulator.openIdConfigurationUrl).toBe(`${emulator.url}v1/.well-known/OpenIdConfiguration`);
    const response = await fetch(emulator.openIdConfigurationUrl);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      issuer: 'https://graph.microsoft.com',
      jwks_uri: emulator.jwksUrl,
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('serves public RSA keys only, with kid, use and alg', async () => {
    const { keys } = await jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', kid: emulator.signingKeyId, use: 'sig', alg: 'RS256', e: 'AQAB' });
    expect(keys[0]?.d).toBeUndefined();
    expect(keys[0]?.p).toBeUndefined();
  });

  it('rotateKeys: a new kid signs new callbacks; the old key stays published', async () => {
    const oldToken = await callbackToken();
    const oldKid = emulator.signingKeyId;
    const newKid = await emulator.rotateKeys();
    expect(newKid).not.toBe(oldKid);
    expect(emulator.signingKeyId).toBe(newKid);
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([oldKid, newKid]);

    const newToken = await callbackToken();
    expect(decodeProtectedHeader(newToken).kid).toBe(newKid);
    const keySet = createRemoteJWKSet(new URL(emulator.jwksUrl));
    const options = { issuer: 'https://graph.microsoft.com', audience: 'bot-app-1' };
    await expect(jwtVerify(oldToken, keySet, options)).resolves.toMatchObject({ protectedHeader: { kid: oldKid } });
    await expect(jwtVerify(newToken, keySet, options)).resolves.toMatchObject({ payload: { tid: 'tenant-1' } });
  });

  it('rotateKeys({ dropOld: true }): only the new key is published and old tokens no longer verify', async () => {
    const oldToken = await callbackToken();
    const newKid = await emulator.rotateKeys({ dropOld: true });
    const set = await jwks();
    expect(set.keys.map((k) => k.kid)).toEqual([newKid]);
    await expect(jwtVerify(oldToken, createLocalJWKSet(set))).rejects.toThrow();
    await expect(jwtVerify(await callbackToken(), createLocalJWKSet(set), { audience: 'bot-app-1' })).resolves.toBeDefined();
  });

  it('issueToken: tokens with overridden claims, for tests of a verifier', async () => {
    const set = createLocalJWKSet(await jwks());
    const expired = await emulator.issueToken({ iat: 1_000_000, exp: 1_000_060 });
    await expect(jwtVerify(expired, set)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
    const wrongAudience = await emulator.issueToken({ aud: 'someone-else' });
    await expect(jwtVerify(wrongAudience, set, { audience: 'bot-app-1' })).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
    const noTenant = decodeJwt(await emulator.issueToken({ tid: null, claims: { extra: 'yes' } }));
    expect(noTenant.tid).toBeUndefined();
    expect(noTenant.extra).toBe('yes');
    await expect(emulator.issueToken({ kid: 'no-such-key' })).rejects.toThrow('no signing key');
  });
});
