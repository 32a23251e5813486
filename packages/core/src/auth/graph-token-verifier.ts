import { jwtVerify, type JWTPayload } from 'jose';
import { parseBearerHeader } from './bearer-header.js';
import { TokenVerificationError } from './errors.js';
import { toTokenVerificationError } from './jose-errors.js';
import { createKeySource, type KeyResolver } from './key-source.js';
import { checkLifetime } from './lifetime.js';
import { resolveOptions, type GraphTokenVerifierOptions, type ResolvedOptions } from './options.js';
import { VerifiedTokenCache } from './token-cache.js';
import type { TokenVerifier, VerifiedCaller } from './types.js';

/** Microsoft's samples refresh Graph calling's signing keys every 2 hours. */
const KEY_CACHE_MAX_AGE_MS = 2 * 60 * 60_000;
/** `jwks_uri` has not moved in years; re-reading the discovery document daily is plenty. */
const DISCOVERY_MAX_AGE_MS = 24 * 60 * 60_000;

/** A verification as the cache keeps it: the caller, and the key that vouched for it. */
interface Verified {
  caller: VerifiedCaller;
  keyId: string | undefined;
}

/**
 * Creates the verifier for the `Authorization` header Microsoft Graph puts on every callback
 * (commsNotifications POST) to a calling bot. A token is accepted only when it is an RS256 JWT
 * signed by a key of the configured key set, its `aud` is `appId`, its `iss` is an accepted
 * issuer, `exp`/`nbf`/`iat` hold within the clock tolerance, it is valid for no longer than
 * `maxTokenLifetimeSeconds`, and it names a tenant (`tid`) that is allowed. Refusals reject with a
 * `TokenVerificationError` carrying a stable `code`.
 *
 * Accepted tokens are cached until their `exp`, and only while their signing key is in the key
 * set: when a key set refresh removes a key, the tokens it signed are checked afresh (and refused).
 * Every call, cache hits included, starts a background refresh of keys past their max age.
 *
 * Throws `TypeError` at once on invalid options, e.g. an empty `appId` or a malformed `jwks`.
 */
export function createGraphTokenVerifier(options: GraphTokenVerifierOptions): TokenVerifier {
  const settings = resolveOptions(options);
  const keys = createKeySource({
    jwks: settings.jwks,
    openIdConfigurationUrl: settings.openIdConfigurationUrl,
    timeoutMs: settings.timeoutMs,
    cooldownMs: settings.keyRefreshCooldownMs,
    cacheMaxAgeMs: KEY_CACHE_MAX_AGE_MS,
    discoveryMaxAgeMs: DISCOVERY_MAX_AGE_MS,
    logger: settings.logger,
  });
  // Cached until the token's own exp: the clock tolerance only applies to a fresh check.
  const cache = new VerifiedTokenCache<Verified>(
    settings.cacheMaxEntries,
    ({ caller }) => Number(caller.claims.exp) * 1000,
    ({ keyId }) => keyId,
  );
  keys.onKeysRemoved((keyIds) => cache.forgetKeys(keyIds));
  const { allowedTenantIds } = settings;

  return {
    verify(authorizationHeader) {
      // No async function: a cached token is answered with one promise, not three.
      try {
        const token = parseBearerHeader(authorizationHeader);
        keys.refreshIfStale();
        const verified = cache.verify(token, (t) => verifyToken(t, keys, settings));
        return verified instanceof Promise ? verified.then(admit) : Promise.resolve(admit(verified));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };

  function admit({ caller }: Verified): VerifiedCaller {
    // Checked on every call, cached or not, so the cache can never widen the allow-list.
    if (allowedTenantIds && !allowedTenantIds.has(caller.tenantId.toLowerCase())) {
      throw new TokenVerificationError('tenant_not_allowed', `Tenant ${caller.tenantId} is not in allowedTenantIds`);
    }
    return { ...caller }; // a fresh object per call; the shared claims are frozen
  }
}

async function verifyToken(token: string, keys: KeyResolver, settings: ResolvedOptions): Promise<Verified> {
  let payload: JWTPayload;
  let keyId: unknown;
  try {
    ({
      payload,
      protectedHeader: { kid: keyId },
    } = await jwtVerify(token, keys, {
      algorithms: ['RS256'], // rules out `none` and HS256-with-the-public-key forgeries
      audience: settings.appId,
      issuer: [...settings.issuers],
      clockTolerance: settings.clockToleranceSeconds,
      requiredClaims: ['exp'], // a token that never expires is not a Graph callback token
    }));
  } catch (error) {
    throw toTokenVerificationError(error);
  }
  // jose accepts an aud array that merely contains appId; Graph addresses its tokens to the bot alone.
  if (payload.aud !== settings.appId) {
    throw new TokenVerificationError('invalid_audience', "The bearer token's audience is not exactly this bot's app id");
  }
  checkLifetime(payload, settings);
  const tenantId = payload['tid'];
  if (typeof tenantId !== 'string' || tenantId.trim() === '') {
    throw new TokenVerificationError('missing_tenant', 'The bearer token has no tenant ("tid") claim');
  }
  const caller = { tenantId, appId: settings.appId, issuer: String(payload.iss), claims: deepFreeze(payload) };
  return { caller, keyId: typeof keyId === 'string' ? keyId : undefined };
}

/** Cached claims are shared between callers: freeze them so one caller cannot alter another's view. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
