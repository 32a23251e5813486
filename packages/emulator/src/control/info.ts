import { OPENID_CONFIGURATION_PATH } from '../auth/openid.js';
import type { EmulatorContext } from '../context.js';

/** What `GET /_emulator/info` answers: what a bot needs to talk to this emulator. */
export interface EmulatorInfo {
  appId: string;
  tenantId: string;
  baseUrl: string;
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
