import type { ErrorContext } from '../events/event-map.js';
import type { Logger } from '../logger.js';

const WHAT: Readonly<Partial<Record<ErrorContext['source'], string>>> = {
  listener: 'an event listener threw',
  handler: 'a custom handler failed',
  store: 'the call store failed',
  timeout: 'a custom handler timed out',
  internal: 'a state machine step failed',
};

/**
 * Logs, at error, an error reported while nobody listens to `error`: with the error itself as
 * `err` (so that pino's serializer and the console logger keep its stack), where it came from,
 * and which notification by its resource only.
 */
export function logUnheardError(logger: Logger, error: Error, context: ErrorContext): void {
  // Never the notification itself: a recordResponse outcome carries its recordingAccessToken.
  const { notification, ...where } = context;
  const resourceUrl = typeof notification?.resourceUrl === 'string' ? notification.resourceUrl : undefined;
  const code = (error as { code?: unknown }).code;
  const what = context.source === 'listener' && context.event ? `a ${context.event} listener threw` : (WHAT[context.source] ?? 'an error was reported');
  logger.error({ ...where, ...(resourceUrl ? { resourceUrl } : {}), ...(code === undefined ? {} : { code }), err: error }, `${what} (no "error" listener): ${error.message}`);
}
