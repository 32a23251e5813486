/**
 * The discovery documents. Microsoft publishes the calling service's keys at
 * `https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration`, whose
 * `jwks_uri` is `.../v1/keys`; the emulator serves the same paths on its own host.
 */
export const OPENID_CONFIGURATION_PATH = '/v1/.well-known/OpenIdConfiguration';
export const JWKS_PATH = '/v1/keys';

/** The OpenID configuration document for an emulator whose base URL is `baseUrl` (ending in `/`). */
export function openIdConfiguration(baseUrl: string, issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: 'https://invalid.botframework.com',
    jwks_uri: new URL(JWKS_PATH.slice(1), baseUrl).toString(),
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
  };
}
