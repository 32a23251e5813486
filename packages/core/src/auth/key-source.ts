import { createLocalJWKSet, createRemoteJWKSet, errors } from 'jose';
import type { CryptoKey, FlattenedJWSInput, JSONWebKeySet, JWSHeaderParameters, RemoteJWKSet } from 'jose';
import type { Logger } from '../logger.js';
import { createJwksUriDiscovery } from './discovery.js';
import { TokenVerificationError } from './errors.js';

/**
 * Finds the public key a token's header names. Rejects with jose's `JWKSNoMatchingKey` /
 * `JWKSMultipleMatchingKeys` when the key set has no single match, and with a
 * `TokenVerificationError('keys_unavailable')` when no key set could be obtained.
 */
export type KeyResolver = (protectedHeader: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

/** Options of {@link createKeySource}. Exactly one of `jwks` and `openIdConfigurationUrl` is used. */
export interface KeySourceOptions {
  /** A fixed key set; no network at all. Wins over `openIdConfigurationUrl`. */
  jwks?: JSONWebKeySet;
  /** The OpenID configuration document whose `jwks_uri` serves the keys. */
  openIdConfigurationUrl?: string;
  /** Timeout of each download, in milliseconds. */
  timeoutMs: number;
  /** After a key download, an unknown `kid` cannot trigger another one for this long. */
  cooldownMs: number;
  /** Downloaded keys are re-downloaded once they are this old. */
  cacheMaxAgeMs: number;
  /** The discovery document is re-read once it is this old. */
  discoveryMaxAgeMs: number;
  logger: Logger;
}

/** Builds the key resolver that `jwtVerify` calls, from a static key set or from OpenID discovery. */
export function createKeySource(options: KeySourceOptions): KeyResolver {
  const { timeoutMs, cooldownMs, cacheMaxAgeMs, logger } = options;
  if (options.jwks) {
    const local = createLocalJWKSet(options.jwks); // throws at start-up on a malformed set
    return (header, token) => local(header, token).catch(keyFailure);
  }
  const url = options.openIdConfigurationUrl;
  if (!url) throw new TypeError('createKeySource needs jwks or openIdConfigurationUrl');
  const discover = createJwksUriDiscovery({ url, timeoutMs, maxAgeMs: options.discoveryMaxAgeMs, retryAfterMs: cooldownMs, logger });
  let remote: { href: string; keys: RemoteJWKSet } | undefined;
  let fallback: { until: number; keys: ReturnType<typeof createLocalJWKSet> } | undefined;

  return async (header, token) => {
    const jwksUri = await discover().catch((error: unknown) => {
      throw new TokenVerificationError('keys_unavailable', 'The OpenID configuration document could not be downloaded', { cause: error });
    });
    if (remote?.href !== jwksUri.href) {
      // jose does the caching, the cool-down between refreshes for unknown kids, the timeout, and
      // shares one download between concurrent callers.
      remote = { href: jwksUri.href, keys: createRemoteJWKSet(jwksUri, { timeoutDuration: timeoutMs, cooldownDuration: cooldownMs, cacheMaxAge: cacheMaxAgeMs }) };
      fallback = undefined;
    }
    if (fallback && Date.now() < fallback.until) return fallback.keys(header, token).catch(keyFailure);
    try {
      return await remote.keys(header, token);
    } catch (error) {
      if (isKeySelectionError(error)) throw error;
      const previous = remote.keys.jwks();
      logger.warn({ err: error, jwksUri: jwksUri.href, usingPreviousKeys: previous !== undefined }, 'signing key download failed');
      if (!previous) keyFailure(error);
      // jose fails the verification when a refresh of stale keys fails. Keep using them for a cool-down, so an
      // outage of the key endpoint neither stops callbacks nor gets hammered by every one of them.
      fallback = { until: Date.now() + cooldownMs, keys: createLocalJWKSet(previous) };
      return fallback.keys(header, token).catch(keyFailure);
    }
  };
}

function isKeySelectionError(error: unknown): boolean {
  return error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported;
}

/** Lets "no such key" through for the caller to map; anything else means we have no usable keys. */
function keyFailure(error: unknown): never {
  if (isKeySelectionError(error) || error instanceof TokenVerificationError) throw error;
  throw new TokenVerificationError('keys_unavailable', 'The signing keys could not be obtained', { cause: error });
}
