import type { LogFn, Logger } from '../logger.js';
import { formatLogLine } from './log-line.js';

/** A log level, from the most to the least verbose. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Options of {@link createConsoleLogger}. */
export interface ConsoleLoggerOptions {
  /** Entries below this level are dropped. Default `'warn'`. */
  level?: LogLevel;
}

const RANK: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40 };

const noop: LogFn = () => undefined;

/**
 * The default logger of the bot, the token verifier and the Redis store: one line per entry on
 * stderr (level, message, then the fields as JSON, an `err` Error with its stack), from `level`
 * (default `'warn'`) up. Throws `TypeError` on an unknown level.
 */
export function createConsoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  if (typeof options !== 'object' || options === null) throw new TypeError('createConsoleLogger: options must be an object, e.g. { level: "info" }');
  const level = options.level ?? 'warn';
  if (typeof level !== 'string' || !Object.hasOwn(RANK, level)) {
    throw new TypeError(`createConsoleLogger: level must be one of ${Object.keys(RANK).join(', ')}; got ${String(level)}`);
  }
  const at = (entry: LogLevel): LogFn => (RANK[entry] < RANK[level] ? noop : (fields, message) => write(formatLogLine(entry, fields, message)));
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

// process.stderr is looked up on every write, so that whoever replaces it (a test) gets the lines.
function write(line: string): void {
  try {
    process.stderr.write(`${line}\n`);
  } catch {
    // A closed stderr must not turn a log line into a failed callback.
  }
}
