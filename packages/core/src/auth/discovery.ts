import type { Logger } from '../logger.js';
import { isRecord } from '../model/json.js';

/** Where Graph's calling platform publishes its OpenID configuration (and through it, its signing keys). */
export const DEFAULT_OPENID_CONFIGURATION_URL = 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration';

/** Options of {@link createJwksUriDiscovery}. */
export interface DiscoveryOptions {
  /** The OpenID configuration document's address. */
  url: string;
  /** Abort the download after this many milliseconds. */
  timeoutMs: number;
  /** Re-read the document after this long, in case `jwks_uri` moved. */
  maxAgeMs: number;
  /** After a failed re-read, keep the previous `jwks_uri` this long before trying again. */
  retryAfterMs: number;
  logger: Logger;
}

/**
 * Returns a function resolving the `jwks_uri` of an OpenID configuration document. The document
 * is fetched on first use, not at start-up, so a bot can boot while the endpoint is down; a failed
 * download is not remembered, the next call tries again. Once known, the address is kept and
 * re-read in the background after `maxAgeMs`; callers never wait for that re-read, and if it fails
 * the old address stays in use.
 */
export function createJwksUriDiscovery(options: DiscoveryOptions): () => Promise<URL> {
  const { url, timeoutMs, maxAgeMs, retryAfterMs, logger } = options;
  let known: { jwksUri: URL; refreshAt: number } | undefined;
  // One download at a time: a burst of callbacks at start-up shares it.
  let pending: Promise<URL> | undefined;

  const download = (): Promise<URL> => {
    pending ??= fetchJwksUri(url, timeoutMs)
      .then((jwksUri) => {
        known = { jwksUri, refreshAt: Date.now() + maxAgeMs };
        return jwksUri;
      })
      .catch((error: unknown) => {
        logger.warn({ err: error, url }, 'OpenID configuration download failed');
        if (known) known.refreshAt = Date.now() + retryAfterMs;
        throw error;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };

  return async () => {
    if (!known) return download();
    if (Date.now() >= known.refreshAt) download().catch(() => undefined); // failure already logged
    return known.jwksUri;
  };
}

async function fetchJwksUri(url: string, timeoutMs: number): Promise<URL> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  if (response.status !== 200) throw new Error(`OpenID configuration answered HTTP ${response.status}`);
  // The timeout signal also aborts reading the body, so a stalled body cannot hang us.
  const document: unknown = await response.json();
  const jwksUri = isRecord(document) ? document['jwks_uri'] : undefined;
  if (typeof jwksUri !== 'string') throw new Error('OpenID configuration has no "jwks_uri"');
  const parsed = new URL(jwksUri);
  // No downgrade: keys come over https unless the operator configured a plain-http document (an emulator).
  const allowed = new URL(url).protocol === 'http:' ? ['https:', 'http:'] : ['https:'];
  if (!allowed.includes(parsed.protocol)) throw new Error(`"jwks_uri" has a disallowed scheme ${parsed.protocol}`);
  return parsed;
}
