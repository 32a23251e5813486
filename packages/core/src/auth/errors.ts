import { GraphCommsError } from '../errors.js';

/**
 * Why a callback's bearer token was refused. The values are stable: branch on them, log them,
 * map them to HTTP statuses; never parse the message.
 */
export type TokenErrorCode =
  /** No `Authorization` header, or an empty one. */
  | 'missing_token'
  /** The header is not exactly `Bearer <token>`. */
  | 'malformed_header'
  /** The token is not a compact JWS/JWT (wrong shape, bad base64url, bad JSON). */
  | 'malformed_token'
  /** The token is not signed with RS256 (this includes `none` and HMAC algorithms). */
  | 'unsupported_algorithm'
  /** The token's key id is not in the key set, even after a permitted refresh. */
  | 'unknown_key'
  /** The signature does not match the key the token names. */
  | 'invalid_signature'
  /** `exp` has passed (beyond the clock tolerance). */
  | 'expired'
  /** `nbf` is still in the future (beyond the clock tolerance). */
  | 'not_yet_valid'
  /** `iat` is in the future (beyond the clock tolerance): no issuer signs tokens ahead of time. */
  | 'issued_in_future'
  /** The token is valid for longer than `maxTokenLifetimeSeconds` (from `iat`, from `nbf`, or from now). */
  | 'lifetime_too_long'
  /** `aud` is not this bot's app id. */
  | 'invalid_audience'
  /** `iss` is not one of the accepted issuers. */
  | 'invalid_issuer'
  /** The token has no usable `tid` (tenant) claim. */
  | 'missing_tenant'
  /** The tenant is not in `allowedTenantIds`. */
  | 'tenant_not_allowed'
  /** Signing keys could not be obtained: discovery or key download failed or timed out. */
  | 'keys_unavailable'
  /** A claim is missing or of the wrong type (e.g. no numeric `exp`). */
  | 'invalid_claims';

/**
 * A callback's bearer token was refused. `code` says why; the message explains it for humans
 * and never contains the token, so it is safe to log.
 */
export class TokenVerificationError extends GraphCommsError {
  /** Why the token was refused. */
  declare readonly code: TokenErrorCode;

  constructor(code: TokenErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
