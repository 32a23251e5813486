import type { Server } from 'node:http';
import { KeyRing } from './auth/keys.js';
import { TokenIssuer } from './auth/tokens.js';
import { Deliverer } from './callbacks/delivery.js';
import { Notifier } from './callbacks/notifier.js';
import { CallRegistry } from './calls/registry.js';
import type { EmulatorContext } from './context.js';
import { CONTROL_PREFIX } from './control/errors.js';
import { EventHub } from './control/events.js';
import { controlRoutes } from './control/routes.js';
import { snapshot } from './calls/snapshot.js';
import type { AnsweredRequest } from './http/server.js';
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
  /** The control API's event stream. */
  events: EventHub;
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
  const faults = new Faults();
  const registry = new CallRegistry();
  const ctx: EmulatorContext = {
    options: resolved,
    registry,
    notifier: new Notifier(deliverer, resolved.callbackDelayMs, faults),
    scheduler,
    faults,
    recordings: new RecordingStore(resolved.recordingTokenLifetimeMs),
    baseUrl: '',
  };
  const events = new EventHub((id) => {
    const call = registry.get(id);
    return call === undefined ? undefined : snapshot(call);
  });
  registry.onAdd = (id) => events.callChanged(id);
  deliverer.onChange = (record) => {
    events.deliveryChanged(record);
    events.callChanged(record.callId);
  };
  const onAnswered = (request: AnsweredRequest): void => {
    const callId = touchedCall(request);
    if (callId !== undefined) events.callChanged(callId);
    if (!request.path.startsWith(CONTROL_PREFIX) && request.path !== '/') events.requestAnswered(request);
  };
  const allRoutes = [...controlRoutes(ctx, { deliverer, events }), ...routes(ctx, keys)];
  const { server, port } = await listen(allRoutes, resolved.host, resolved.port, resolved.logger, { onAnswered, plainErrorPrefix: CONTROL_PREFIX });
  // An IPv6 host needs brackets in a URL.
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  ctx.baseUrl = `http://${host}:${port}/`;
  resolved.logger(`Graph emulator listening on ${ctx.baseUrl}`);
  return { ctx, server, keys, tokens, deliverer, events };
}

const CALL_PATH = /^\/(?:(?:v1\.0|beta)\/(?:communications|app)|_emulator)\/calls\/([^/]+)/;

/** The call a request other than a GET may have changed (Graph API or control API path). */
function touchedCall(request: AnsweredRequest): string | undefined {
  if (request.method === 'GET') return undefined;
  const segment = CALL_PATH.exec(request.path)?.[1];
  if (segment === undefined) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
