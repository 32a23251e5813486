import { TokenVerificationError } from './errors.js';

// RFC 6750: the scheme is case-insensitive, then one or more spaces, then exactly one token.
const BEARER = /^Bearer[ \t]+(\S+)$/i;

/**
 * Takes the token out of an `Authorization: Bearer <token>` header value. Throws
 * `missing_token` when there is no header and `malformed_header` for any other scheme or shape.
 * Messages never echo the header: it may hold a valid credential for another service.
 */
export function parseBearerHeader(header: string | undefined): string {
  if (header === undefined || header === null || (typeof header === 'string' && header.trim() === '')) {
    throw new TokenVerificationError('missing_token', 'The callback has no Authorization header; Graph signs every callback with a bearer token');
  }
  const token = typeof header === 'string' ? BEARER.exec(header.trim())?.[1] : undefined;
  if (token === undefined) {
    throw new TokenVerificationError('malformed_header', 'The Authorization header is not of the form "Bearer <token>"');
  }
  return token;
}
