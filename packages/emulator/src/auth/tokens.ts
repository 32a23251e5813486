import { SignJWT, type JWTPayload } from 'jose';
import type { KeyRing } from './keys.js';

/**
 * App id the emulator puts in the `appid` claim: it stands for the calling
 * service that sends the callbacks (Microsoft Graph's well-known app id).
 */
export const CALLING_SERVICE_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Claims a test can override when it asks for a token of its own (expired, wrong audience...). */
export interface TokenOverrides {
  /** The issuer claim. */
  iss?: string;
  /** The audience claim: the bot's app id by default. */
  aud?: string;
  /** `null` leaves the tenant claim out (Microsoft's samples reject such tokens). */
  tid?: string | null;
  /** Issued at (seconds since the epoch). */
  iat?: number;
  /** Not before (seconds since the epoch). */
  nbf?: number;
  /** Expires at (seconds since the epoch). */
  exp?: number;
  /** Extra claims, merged last. */
  claims?: JWTPayload;
  /** Sign with this key id's key instead of the current one (must still be in the ring). */
  kid?: string;
}

interface TokenSettings {
  issuer: string;
  appId: string;
  tenantId: string;
  lifetimeSeconds: number;
  reuseSeconds: number;
}

/**
 * Signs the bearer tokens of callbacks. Graph sends the same token on many
 * callbacks, so one token per key is reused until it is `reuseSeconds` old.
 */
export class TokenIssuer {
  private cached: { kid: string; token: string; issuedAt: number } | null = null;

  constructor(
    private readonly keys: KeyRing,
    private readonly settings: TokenSettings,
  ) {}

  /** The token for the next callback: the cached one while it is fresh and signed with the current key. */
  async callbackToken(): Promise<string> {
    const now = nowSeconds();
    const kid = this.keys.current.kid;
    const cached = this.cached;
    if (cached !== null && cached.kid === kid && now - cached.issuedAt < this.settings.reuseSeconds) return cached.token;
    const token = await this.issue({ iat: now });
    this.cached = { kid, token, issuedAt: now };
    return token;
  }

  /** Signs a new token with the current key (or `overrides.kid`), Graph's claims, and any overrides. */
  async issue(overrides: TokenOverrides = {}): Promise<string> {
    const key = overrides.kid === undefined ? this.keys.current : this.findKey(overrides.kid);
    const iat = overrides.iat ?? nowSeconds();
    const payload: JWTPayload = {
      iss: overrides.iss ?? this.settings.issuer,
      aud: overrides.aud ?? this.settings.appId,
      iat,
      nbf: overrides.nbf ?? iat,
      exp: overrides.exp ?? iat + this.settings.lifetimeSeconds,
      appid: CALLING_SERVICE_APP_ID,
      appidacr: '2',
      ...(overrides.tid === null ? {} : { tid: overrides.tid ?? this.settings.tenantId }),
      ...overrides.claims,
    };
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.kid }).sign(key.privateKey);
  }

  private findKey(kid: string) {
    const key = this.keys.find(kid);
    if (key === undefined) throw new Error(`no signing key with kid ${kid}`);
    return key;
  }
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
