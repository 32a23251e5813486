import { errors } from 'jose';
import { TokenVerificationError, type TokenErrorCode } from './errors.js';

/**
 * Turns whatever `jwtVerify` (or our key source) threw into a `TokenVerificationError` with a
 * stable code. jose's own messages are generic and never include the token; we still write our
 * own, so what a log shows does not depend on jose's wording. jose's error stays as `cause`.
 */
export function toTokenVerificationError(error: unknown): TokenVerificationError {
  if (error instanceof TokenVerificationError) return error;
  const [code, message] = describe(error);
  return new TokenVerificationError(code, message, { cause: error });
}

function describe(error: unknown): [TokenErrorCode, string] {
  if (error instanceof errors.JWTExpired) {
    return ['expired', `The bearer token expired${at(error.payload.exp)}`];
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const { claim, reason, payload } = error;
    if (claim === 'nbf' && reason === 'check_failed') return ['not_yet_valid', `The bearer token is not valid yet${at(payload.nbf, ' before')}`];
    if (claim === 'aud') return ['invalid_audience', `The bearer token's audience ${quote(payload.aud)} is not this bot's app id`];
    if (claim === 'iss') return ['invalid_issuer', `The bearer token's issuer ${quote(payload.iss)} is not an accepted issuer`];
    return ['invalid_claims', `The bearer token's "${claim}" claim is ${reason === 'missing' ? 'missing' : 'invalid'}`];
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return ['unsupported_algorithm', 'The bearer token is not signed with RS256'];
  if (error instanceof errors.JWSSignatureVerificationFailed) return ['invalid_signature', 'The bearer token signature does not match its signing key'];
  if (error instanceof errors.JWKSNoMatchingKey) return ['unknown_key', 'The bearer token names a signing key that is not in the key set'];
  if (error instanceof errors.JWKSMultipleMatchingKeys) return ['unknown_key', 'The bearer token does not single out one signing key of the key set'];
  // JWSInvalid, JWTInvalid, JOSENotSupported (unknown "crit" extensions) and anything unforeseen:
  // fail closed and call the token unusable.
  return ['malformed_token', 'The bearer token is not a well-formed JWT'];
}

function at(seconds: unknown, word = ' at'): string {
  const date = new Date(typeof seconds === 'number' ? seconds * 1000 : NaN);
  return Number.isNaN(date.getTime()) ? '' : `${word} ${date.toISOString()}`; // out-of-range dates are NaN too
}

/** Claim values come from an unverified token: quote them and keep them short before they reach logs. */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
