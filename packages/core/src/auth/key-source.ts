import { createLocalJWKSet, createRemoteJWKSet, errors, jwksCache } from 'jose';
import type { CryptoKey, ExportedJWKSCache, FlattenedJWSInput, JSONWebKeySet, JWKSCacheInput, JWSHeaderParameters, RemoteJWKSet } from 'jose';
import type { Logger } from '../logger.js';
import { createJwksUriDiscovery } from './discovery.js';
import { TokenVerificationError } from './errors.js';
import { KeySetTracker, type KeysRemovedListener } from './key-set-changes.js';

/**
 * Finds the public key a token's header names. Rejects with jose's `JWKSNoMatchingKey` /
 * `JWKSMultipleMatchingKeys` when the key set has no single match, and with a
 * `TokenVerificationError('keys_unavailable')` when no key set could be obtained.
 */
export type KeyResolver = (protectedHeader: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey>;

/** A {@link KeyResolver} that also says when keys leave the set, so that what they verified can be forgotten. */
export type KeySource = KeyResolver & {
  /** `listener` hears the key ids each refresh removed (or re-published with other key material). */
  onKeysRemoved(listener: KeysRemovedListener): void;
  /**
   * When the downloaded keys are past their max age, re-downloads them in the background (at most
   * once per cool-down), so that removals are noticed even while every callback is a cache hit.
   * Never waits and never throws; a failure is logged and the keys in hand stay in use.
   */
  refreshIfStale(): void;
};

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

type LocalKeys = ReturnType<typeof createLocalJWKSet>;

/** The key set behind one `jwks_uri`; jose writes every successful download into `cache`. */
interface Remote {
  href: string;
  keys: RemoteJWKSet;
  cache: Partial<ExportedJWKSCache>;
  /** `cache.uat` when the tracker last saw the set. */
  seen: number | undefined;
}

/** Builds the key resolver that `jwtVerify` calls, from a static key set or from OpenID discovery. */
export function createKeySource(options: KeySourceOptions): KeySource {
  const { timeoutMs, cooldownMs, cacheMaxAgeMs, logger } = options;
  if (options.jwks) {
    const local = createLocalJWKSet(options.jwks); // throws at start-up on a malformed set
    const resolve: KeyResolver = (header, token) => local(header, token).catch(keyFailure);
    // A fixed set never loses a key.
    return Object.assign(resolve, { onKeysRemoved: () => undefined, refreshIfStale: () => undefined });
  }
  const url = options.openIdConfigurationUrl;
  if (!url) throw new TypeError('createKeySource needs jwks or openIdConfigurationUrl');
  const discover = createJwksUriDiscovery({ url, timeoutMs, maxAgeMs: options.discoveryMaxAgeMs, retryAfterMs: cooldownMs, logger });
  const tracker = new KeySetTracker();
  let remote: Remote | undefined;
  let fallback: { until: number; keys: LocalKeys } | undefined;
  let backgroundAfter = 0;

  const openRemote = (jwksUri: URL): Remote => {
    const cache: Partial<ExportedJWKSCache> = {};
    // jose does the caching, the cool-down between refreshes for unknown kids, the timeout, and
    // shares one download between concurrent callers (the background refresh included).
    const keys = createRemoteJWKSet(jwksUri, { timeoutDuration: timeoutMs, cooldownDuration: cooldownMs, cacheMaxAge: cacheMaxAgeMs, [jwksCache]: cache as JWKSCacheInput });
    return { href: jwksUri.href, keys, cache, seen: undefined };
  };

  /** Hands a newly downloaded set to the tracker; the set of a moved `jwks_uri` is compared with the old one too. */
  const noteDownload = (current: Remote): void => {
    const { uat, jwks } = current.cache;
    if (uat === undefined || uat === current.seen || !jwks) return;
    current.seen = uat;
    tracker.update(jwks);
  };

  /**
   * jose fails the verification when a refresh of stale keys fails. Keep using them for a cool-down, so an
   * outage of the key endpoint neither stops callbacks nor gets hammered by every one of them.
   */
  const staleKeys = (current: Remote, error: unknown): LocalKeys => {
    if (fallback && Date.now() < fallback.until) return fallback.keys; // this outage was reported already
    const previous = current.keys.jwks();
    logger.warn({ err: error, jwksUri: current.href, usingPreviousKeys: previous !== undefined }, 'signing key download failed');
    if (!previous) keyFailure(error);
    fallback = { until: Date.now() + cooldownMs, keys: createLocalJWKSet(previous) };
    return fallback.keys;
  };

  const resolve: KeyResolver = async (header, token) => {
    const jwksUri = await discover().catch((error: unknown) => {
      throw new TokenVerificationError('keys_unavailable', 'The OpenID configuration document could not be downloaded', { cause: error });
    });
    if (remote?.href !== jwksUri.href) {
      remote = openRemote(jwksUri);
      fallback = undefined;
    }
    const current = remote;
    if (fallback && Date.now() < fallback.until) return fallback.keys(header, token).catch(keyFailure);
    try {
      return await current.keys(header, token);
    } catch (error) {
      if (isKeySelectionError(error)) throw error;
      return await staleKeys(current, error)(header, token).catch(keyFailure);
    } finally {
      noteDownload(current);
    }
  };

  const refreshIfStale = (): void => {
    const current = remote;
    const now = Date.now();
    if (!current || current.keys.fresh || current.keys.reloading || now < backgroundAfter || (fallback && now < fallback.until)) return;
    backgroundAfter = now + cooldownMs;
    current.keys.reload().then(
      () => noteDownload(current),
      (error: unknown) => {
        try {
          staleKeys(current, error);
        } catch {
          // No keys at all: the next verification that needs them reports it.
        }
      },
    );
  };

  return Object.assign(resolve, { onKeysRemoved: (listener: KeysRemovedListener) => tracker.onKeysRemoved(listener), refreshIfStale });
}

function isKeySelectionError(error: unknown): boolean {
  return error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported;
}

/** Lets "no such key" through for the caller to map; anything else means we have no usable keys. */
function keyFailure(error: unknown): never {
  if (isKeySelectionError(error) || error instanceof TokenVerificationError) throw error;
  throw new TokenVerificationError('keys_unavailable', 'The signing keys could not be obtained', { cause: error });
}
