/** One log method: structured fields first, then a message (pino's calling convention). */
export type LogFn = (fields: Record<string, unknown>, message?: string) => void;

/**
 * The logger the framework writes to: `{ debug, info, warn, error }`, each taking
 * `(fields, message)`. A pino logger fits as it is; `createConsoleLogger()` is the default.
 * An `err` field holds the Error itself, so that pino's serializer keeps its stack.
 */
export interface Logger {
  /** Detail for debugging. */
  debug: LogFn;
  /** Normal events worth keeping. */
  info: LogFn;
  /** Refused callbacks, Graph's refusals, unanswered incoming calls. */
  warn: LogFn;
  /** Store failures and errors nobody listens for. */
  error: LogFn;
}

const noop: LogFn = () => undefined;

/** A logger that drops every entry: what `logger: false` gives. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
