import type { Server } from 'node:http';
import { KeyRing } from './auth/keys.js';
import { TokenIssuer } from './auth/tokens.js';
import { Deliverer } from './callbacks/delivery.js';
import { Notifier } from './callbacks/notifier.js';
import { CallRegistry } from './calls/registry.js';
import type { EmulatorContext } from './context.js';
import { Faults } from './faults.js';
import { routes } from './http/routes.js';
import { listen } from './http/server.js';
import { RecordingStore } from './recordings/store.js';
import { resolveOptions, type GraphEmulatorOptions } from './options.js';
import { Scheduler } from './scheduler.js';

/** The parts of a running emulator. */
export interface Runtime {
  ctx: EmulatorContext;
  server: Server;
  keys: KeyRing;
  tokens: TokenIssuer;
  deliverer: Deliverer;
}

/** Builds the parts from the options and starts listening. */
export async function startRuntime(options: GraphEmulatorOptions): Promise<Runtime> {
  const resolved = resolveOptions(options);
  const keys = await KeyRing.create();
  const tokens = new TokenIssuer(keys, {
    issuer: resolved.issuer,
    appId: resolved.appId,
    tenantId: resolved.tenantId,
    lifetimeSeconds: resolved.tokenLifetimeSeconds,
    reuseSeconds: resolved.tokenReuseSeconds,
  });
  const scheduler = new Scheduler();
  const deliverer = new Deliverer(scheduler, tokens, {
    maxAttempts: resolved.maxDeliveryAttempts,
    backoffMs: resolved.retryBackoffMs,
    timeoutMs: resolved.deliveryTimeoutMs,
    logger: resolved.logger,
  });
  const ctx: EmulatorContext = {
    options: resolved,
    registry: new CallRegistry(),
    notifier: new Notifier(deliverer, resolved.callbackDelayMs),
    scheduler,
    faults: new Faults(),
    recordings: new RecordingStore(resolved.recordingTokenLifetimeMs),
    baseUrl: '',
  };
  const { server, port } = await listen(routes(ctx, keys), resolved.host, resolved.port, resolved.logger);
  // An IPv6 host needs brackets in a URL.
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  ctx.baseUrl = `http://${host}:${port}/`;
  resolved.logger(`Graph emulator listening on ${ctx.baseUrl}`);
  return { ctx, server, keys, tokens, deliverer };
}
