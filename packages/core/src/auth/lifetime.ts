import type { JWTPayload } from 'jose';
import { TokenVerificationError } from './errors.js';

/** Limits of {@link checkLifetime}, in seconds. */
export interface LifetimeLimits {
  maxTokenLifetimeSeconds: number;
  clockToleranceSeconds: number;
}

/**
 * Refuses a token issued in the future (`issued_in_future`) or valid for longer than the limit
 * (`lifetime_too_long`). The lifetime runs to `exp` from `iat` and from `nbf`, each when present;
 * without either, from now (plus the clock tolerance), so leaving both out does not lift the cap.
 * Runs after jose's checks, which guarantee a numeric `exp` and numeric `iat`/`nbf` when present.
 */
export function checkLifetime(payload: JWTPayload, limits: LifetimeLimits, nowSeconds = Date.now() / 1000): void {
  const { maxTokenLifetimeSeconds: max, clockToleranceSeconds: tolerance } = limits;
  const { exp, iat, nbf } = payload;
  if (typeof iat === 'number' && iat > nowSeconds + tolerance) {
    throw new TokenVerificationError('issued_in_future', `The bearer token was issued ${Math.round(iat - nowSeconds)} seconds in the future`);
  }
  if (typeof exp !== 'number') throw new TokenVerificationError('invalid_claims', 'The bearer token\'s "exp" claim is missing'); // jose checked it; fail closed anyway
  const starts = [iat, nbf, nowSeconds + tolerance].filter((start): start is number => typeof start === 'number');
  if (starts.some((start) => exp - start > max)) {
    throw new TokenVerificationError('lifetime_too_long', `The bearer token is valid for longer than ${max} seconds`);
  }
}
