/** One log method: structured fields first, then a message (pino's calling convention). */
export type LogFn = (fields: Record<string, unknown>, message?: string) => void;

/** The logger the framework writes to. A pino logger fits as it is. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

const noop: LogFn = () => undefined;

/** The default: silent. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
