import type * as OpenTelemetryApi from '@opentelemetry/api';

/** The parts of `@opentelemetry/api` the bot uses. */
export type OtelApi = Pick<typeof OpenTelemetryApi, 'context' | 'metrics' | 'trace' | 'SpanKind' | 'SpanStatusCode' | 'ValueType'>;

/** What loading gave: the API, nothing (it is not installed), or why it could not be used. */
export type ApiLoad = { api: OtelApi } | { missing: true } | { error: string };

/** Loads the module; resolves with its namespace. */
export type ApiLoader = () => Promise<unknown>;

// An optional peer: imported when the first bot is made, never at load time, so that core loads without it.
const importApi: ApiLoader = () => import('@opentelemetry/api');
let loader = importApi;
let loading: Promise<ApiLoad> | undefined;
let loaded: ApiLoad | undefined;

/** Loads `@opentelemetry/api` once per process; never rejects. */
export function loadApi(): Promise<ApiLoad> {
  // A loader that throws, a namespace that cannot be read: a failure to report, never a crash.
  loading ??= Promise.resolve()
    .then(() => loader())
    .then(usable)
    .catch(failure)
    .then((result) => (loaded = result));
  return loading;
}

/** What the load gave, once it has finished. */
export function loadedApi(): ApiLoad | undefined {
  return loaded;
}

/** Replaces how the API is loaded (tests play a process without it) and forgets any earlier load. */
export function setApiLoader(load: ApiLoader = importApi): void {
  loader = load;
  loading = loaded = undefined;
}

// A CommonJS module imported from ESM may come with its exports on `default` only.
function usable(namespace: unknown): ApiLoad {
  for (const candidate of [namespace, (namespace as { default?: unknown } | null)?.default]) {
    const api = candidate as Partial<OtelApi> | null | undefined;
    if (typeof api?.metrics?.getMeter === 'function' && typeof api.trace?.getTracer === 'function' && typeof api.context?.with === 'function' && api.SpanKind && api.SpanStatusCode && api.ValueType) return { api: api as OtelApi };
  }
  return { error: 'the module loaded as @opentelemetry/api has no metrics.getMeter and trace.getTracer' };
}

function failure(error: unknown): ApiLoad {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return { missing: true };
  return { error: error instanceof Error ? error.message : String(error) };
}
