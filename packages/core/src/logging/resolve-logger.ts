import { silentLogger, type Logger } from '../logger.js';
import { createConsoleLogger } from './console-logger.js';

const METHODS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * A `logger` option as used: omitted, the console logger at warn; `false`, silence; otherwise
 * the logger itself, once it is checked to have the four methods. `owner` names the option's
 * owner in the `TypeError`.
 */
export function resolveLogger(option: Logger | false | undefined, owner: string): Logger {
  if (option === undefined) return createConsoleLogger();
  if (option === false) return silentLogger;
  if ((typeof option !== 'object' && typeof option !== 'function') || option === null || METHODS.some((name) => typeof option[name] !== 'function')) {
    throw new TypeError(`${owner}: logger must have debug, info, warn and error methods (a pino logger fits), or be false for none`);
  }
  return option;
}
