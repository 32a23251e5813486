import type { JSONWebKeySet } from 'jose';
import type { Logger } from '../logger.js';
import { resolveLogger } from '../logging/resolve-logger.js';
import { DEFAULT_OPENID_CONFIGURATION_URL } from './discovery.js';
import { DEFAULT_CACHE_MAX_ENTRIES } from './token-cache.js';

/** Options of `createGraphTokenVerifier`. Only `appId` is required. */
export interface GraphTokenVerifierOptions {
  /** The bot's Microsoft Entra application (client) id; tokens must carry it as `aud`. */
  appId: string;
  /** Where the signing keys are discovered. Default: Graph calling's `https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration`. */
  openIdConfigurationUrl?: string;
  /** A fixed key set to use instead of discovery (tests, emulators, air-gapped set-ups). */
  jwks?: JSONWebKeySet;
  /** Accepted `iss` values. Default: `https://api.botframework.com` and `https://graph.microsoft.com`. */
  issuers?: readonly string[];
  /** When given, only these tenant ids (`tid`, compared case-insensitively) are accepted. Must not be empty. */
  allowedTenantIds?: readonly string[];
  /** Allowed clock skew for `exp`, `nbf` and `iat`, in seconds. Default 300. */
  clockToleranceSeconds?: number;
  /**
   * The longest validity accepted, in seconds: a token whose `exp` is further than this from its
   * `iat` or its `nbf` (or, when it has neither, from now plus the clock tolerance) is refused with
   * `lifetime_too_long`. Graph's tokens live about an hour. Default 86 400 (one day).
   */
  maxTokenLifetimeSeconds?: number;
  /** After a key download, an unknown key id cannot trigger another download for this long. Default 5 minutes. */
  keyRefreshCooldownMs?: number;
  /** How many verified tokens to remember; 0 disables the cache. Default 10 000. */
  cacheMaxEntries?: number;
  /** Timeout of the discovery and key downloads, in milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Where key download problems are logged (warn); a pino logger fits, `false` logs nothing. Default `createConsoleLogger()` (warn and error on stderr). */
  logger?: Logger | false;
}

/** Default of `maxTokenLifetimeSeconds`: one day, far above the hour Graph's tokens live. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

/** The issuers Graph calling signs callback tokens as. */
const DEFAULT_ISSUERS: readonly string[] = ['https://api.botframework.com', 'https://graph.microsoft.com'];

/** {@link GraphTokenVerifierOptions} with defaults applied and values checked. */
export type ResolvedOptions = Required<Omit<GraphTokenVerifierOptions, 'jwks' | 'allowedTenantIds' | 'logger'>> &
  Pick<GraphTokenVerifierOptions, 'jwks'> & { allowedTenantIds: ReadonlySet<string> | undefined; logger: Logger };

/** Applies defaults; throws `TypeError` on a configuration that could only fail, or fail open, later. */
export function resolveOptions(options: GraphTokenVerifierOptions): ResolvedOptions {
  const { appId, jwks, allowedTenantIds } = options;
  if (typeof appId !== 'string' || appId.trim() === '') throw new TypeError('appId must be a non-empty string');
  if (jwks && options.openIdConfigurationUrl) throw new TypeError('give either jwks or openIdConfigurationUrl, not both');
  if (options.openIdConfigurationUrl !== undefined && !URL.canParse(options.openIdConfigurationUrl)) throw new TypeError('openIdConfigurationUrl must be an absolute URL');
  const issuers = options.issuers ?? DEFAULT_ISSUERS;
  if (issuers.length === 0) throw new TypeError('issuers must not be empty');
  // An empty list would refuse every call; that is almost certainly a configuration slip.
  if (allowedTenantIds?.length === 0) throw new TypeError('allowedTenantIds must not be empty; omit it to accept every tenant');
  return {
    appId,
    jwks,
    openIdConfigurationUrl: options.openIdConfigurationUrl ?? DEFAULT_OPENID_CONFIGURATION_URL,
    issuers: [...issuers],
    allowedTenantIds: allowedTenantIds && new Set(allowedTenantIds.map((id) => id.toLowerCase())),
    clockToleranceSeconds: nonNegative('clockToleranceSeconds', options.clockToleranceSeconds ?? 300),
    maxTokenLifetimeSeconds: positive('maxTokenLifetimeSeconds', options.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS),
    keyRefreshCooldownMs: nonNegative('keyRefreshCooldownMs', options.keyRefreshCooldownMs ?? 5 * 60_000),
    cacheMaxEntries: nonNegative('cacheMaxEntries', options.cacheMaxEntries ?? DEFAULT_CACHE_MAX_ENTRIES, true),
    timeoutMs: nonNegative('timeoutMs', options.timeoutMs ?? 5000, true),
    logger: resolveLogger(options.logger, 'createGraphTokenVerifier'),
  };
}

function nonNegative(name: string, value: number, integer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new TypeError(`${name} must be a non-negative ${integer ? 'integer' : 'number'}`);
  }
  return value;
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new TypeError(`${name} must be a positive number`);
  return value;
}
