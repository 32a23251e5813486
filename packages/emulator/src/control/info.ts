import { OPENID_CONFIGURATION_PATH } from '../auth/openid.js';
import type { EmulatorContext } from '../context.js';

/** What `GET /_emulator/info` answers: what a bot needs to talk to this emulator. */
export interface EmulatorInfo {
  /** The bot's app id: the audience of the callback tokens. */
  appId: string;
  /** The tenant id the tokens carry. */
  tenantId: string;
  /** The Graph base URL to point the Graph client at. */
  baseUrl: string;
  /** The OpenID configuration to point the token verifier at. */
  openIdConfigurationUrl: string;
}

/** The emulator's identity and URLs. */
export function emulatorInfo(ctx: EmulatorContext): EmulatorInfo {
  return {
    appId: ctx.options.appId,
    tenantId: ctx.options.tenantId,
    baseUrl: ctx.baseUrl,
    openIdConfigurationUrl: new URL(OPENID_CONFIGURATION_PATH.slice(1), ctx.baseUrl).toString(),
  };
}
