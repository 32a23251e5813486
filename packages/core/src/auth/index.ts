/**
 * Verification of the bearer token Microsoft Graph sends with every callback to a calling bot.
 * @module
 */
export { createGraphTokenVerifier } from './graph-token-verifier.js';
export type { GraphTokenVerifierOptions } from './options.js';
export { TokenVerificationError, type TokenErrorCode } from './errors.js';
export type { TokenVerifier, VerifiedCaller } from './types.js';
