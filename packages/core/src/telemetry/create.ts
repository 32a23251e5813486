import type { Logger } from '../logger.js';
import { loadApi, loadedApi, type ApiLoad } from './load-api.js';
import { OtelTelemetry } from './otel.js';
import { NO_TELEMETRY, SwitchingTelemetry, type Telemetry } from './telemetry.js';

/**
 * A bot's telemetry, from its `telemetry` option: none with `false`; otherwise metrics and traces
 * through `@opentelemetry/api` once it has loaded (at once when an earlier bot loaded it), and
 * none when it is not installed. Throws a `TypeError` for any other option value.
 */
export function createTelemetry(option: unknown, logger: () => Logger): Telemetry {
  if (option === false) return NO_TELEMETRY;
  if (option !== undefined) {
    throw new TypeError(`CallingBot: telemetry must be false (off) or left out (metrics and traces through @opentelemetry/api when it is installed), got ${typeof option === 'boolean' || option === null ? String(option) : typeof option}`);
  }
  const known = loadedApi();
  if (known) return fromLoad(known, logger);
  const switching = new SwitchingTelemetry();
  void loadApi().then((load) => switching.use(fromLoad(load, logger)));
  return switching;
}

function fromLoad(load: ApiLoad, logger: () => Logger): Telemetry {
  if ('missing' in load) return NO_TELEMETRY;
  let problem: string;
  if ('api' in load) {
    try {
      return new OtelTelemetry(load.api);
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
  } else problem = load.error;
  try {
    logger().warn({ reason: 'telemetry_unavailable', err: problem }, '@opentelemetry/api could not be used; this bot records no metrics or traces');
  } catch {
    // A logger that throws must not leave a rejection nobody handles.
  }
  return NO_TELEMETRY;
}
