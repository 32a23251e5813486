import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { expect } from '@jest/globals';
import { TokenVerificationError, type TokenErrorCode, type TokenVerifier } from '../../src/auth/index.js';
import { GraphCommsError } from '../../src/errors.js';

export const APP_ID = '2c1b9f4e-6d3a-4c8e-9b7f-0a1d2e3f4a5b';
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const ISSUER = 'https://api.botframework.com';

/** An RSA signing key of our own, with its public half as a JWK the way Microsoft publishes it. */
export interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

export async function makeKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' } };
}

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Signs a token shaped like Graph's: claims default to a valid one for APP_ID; `undefined` removes a claim. */
export async function signToken(key: TestKey, claims: Record<string, unknown> = {}, header: { kid?: string; alg?: string } = {}): Promise<string> {
  const payload: Record<string, unknown> = { aud: APP_ID, iss: ISSUER, tid: TENANT_ID, iat: nowSeconds(), nbf: nowSeconds() - 60, exp: nowSeconds() + 3600, ...claims };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload as JWTPayload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header }).sign(key.privateKey);
}

/** Awaits a refusal and checks its code, its class, and that neither message nor cause reveals the token. */
export async function expectRefusal(verifier: TokenVerifier, header: string | undefined, code: TokenErrorCode): Promise<TokenVerificationError> {
  const error = await verifier.verify(header).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenVerificationError);
  expect(error).toBeInstanceOf(GraphCommsError);
  const refusal = error as TokenVerificationError;
  expect(refusal.code).toBe(code);
  expect(refusal.message.length).toBeGreaterThan(10);
  // Short strings like "a.b.c" would match ordinary words; real tokens are hundreds of characters.
  const token = header?.trim().split(/\s+/).pop() ?? '';
  if (token.length >= 20) {
    for (const text of [refusal.message, String(refusal.stack), String(refusal.cause), String((refusal.cause as Error | undefined)?.message)]) {
      expect(text).not.toContain(token);
      // Not the signature either, the only part an attacker cannot recompute.
      const signature = token.split('.')[2];
      if (signature && signature.length >= 20) expect(text).not.toContain(signature);
    }
  }
  return refusal;
}

type Mode = 'ok' | 'fail' | 'hang';

/** A real HTTP server on 127.0.0.1 serving an OpenID configuration document and a key set, counting requests. */
export interface KeyServer {
  openIdUrl: string;
  jwksUrl: string;
  counts: { openid: number; keys: number };
  keys: JWK[];
  mode: { openid: Mode; keys: Mode };
  /** What the discovery document says `jwks_uri` is; defaults to `jwksUrl`. */
  jwksUriOverride?: string | null;
  close(): Promise<void>;
}

export async function startKeyServer(keys: JWK[] = []): Promise<KeyServer> {
  const state = {} as KeyServer;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const route = request.url === '/openid' ? 'openid' : request.url === '/keys' ? 'keys' : undefined;
    if (!route) return void response.writeHead(404).end();
    state.counts[route] += 1;
    const mode = state.mode[route];
    if (mode === 'hang') return; // never answers
    if (mode === 'fail') return void response.writeHead(500).end('down');
    const body =
      route === 'keys'
        ? { keys: state.keys }
        : { issuer: ISSUER, ...(state.jwksUriOverride === null ? {} : { jwks_uri: state.jwksUriOverride ?? state.jwksUrl }) };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(state, {
    openIdUrl: `${base}/openid`,
    jwksUrl: `${base}/keys`,
    counts: { openid: 0, keys: 0 },
    keys,
    mode: { openid: 'ok', keys: 'ok' },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections(); // including hanging requests
        server.close(() => resolve());
      }),
  });
  return state;
}

/** A URL on 127.0.0.1 where nothing listens: the port was free a moment ago and is closed again. */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/openid`;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds, for work a test cannot await (background refreshes). */
export async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
