import type { JWTPayload } from 'jose';

/** Who sent a callback, from its verified bearer token. */
export interface VerifiedCaller {
  /** The tenant (`tid` claim) the call belongs to. */
  tenantId: string;
  /** The audience the token was issued for: the bot's app id. */
  appId: string;
  /** The token's issuer (`iss`). */
  issuer: string;
  /** All claims of the token. */
  claims: JWTPayload;
}

/** Checks the `Authorization` header of a callback. */
export interface TokenVerifier {
  /**
   * Resolves with the caller when the header holds a valid bearer token for this bot;
   * rejects with a `TokenVerificationError` otherwise.
   */
  verify(authorizationHeader: string | undefined): Promise<VerifiedCaller>;
}
