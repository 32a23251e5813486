import { parseArgs } from 'node:util';
import { GraphEmulator } from './emulator.js';
import type { EmulatorLogger, GraphEmulatorOptions } from './options.js';

/** Where the CLI writes. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** Thrown for a command line the CLI cannot use. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: graph-comms-emulator [--port 4000] [--host 127.0.0.1] [--tenant ID] [--app-id ID]
                            [--issuer URL] [--callback-delay MS] [--auto-answer MS] [--operation-delay MS]
                            [--answer-timeout MS] [--keepalive-timeout MS] [--incoming CALLBACK_URL]
                            [--verbose] [--bodies]

Starts a local stand-in for the Microsoft Graph calling service and prints its URLs
(the inspector page and the control API under /_emulator/ are on the base URL).
--incoming places one incoming call to the bot at CALLBACK_URL at start and prints its id.
--verbose logs every request and every callback attempt (with why a delivery failed);
--bodies (implies --verbose) also prints each Graph request body and each notification body.
Stops on SIGINT/SIGTERM.`;

/** What the command line asks for: emulator options, and what to do once it listens. */
export type CliOptions = GraphEmulatorOptions & { verbose: boolean; bodies?: boolean; incoming?: string };

/** Reads the command line into emulator options; null when help was asked for. */
export function parseCli(argv: readonly string[]): CliOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        tenant: { type: 'string' },
        'app-id': { type: 'string' },
        issuer: { type: 'string' },
        'callback-delay': { type: 'string' },
        'auto-answer': { type: 'string' },
        'operation-delay': { type: 'string' },
        'answer-timeout': { type: 'string' },
        'keepalive-timeout': { type: 'string' },
        incoming: { type: 'string' },
        verbose: { type: 'boolean', short: 'v' },
        bodies: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return null;
  const options: CliOptions = { verbose: values.verbose === true || values.bodies === true };
  if (values.bodies === true) options.bodies = true;
  if (values.port !== undefined) options.port = integer('--port', values.port, 65535);
  if (values.host !== undefined) options.host = values.host;
  if (values.tenant !== undefined) options.tenantId = values.tenant;
  if (values['app-id'] !== undefined) options.appId = values['app-id'];
  if (values.issuer !== undefined) options.issuer = values.issuer;
  if (values['callback-delay'] !== undefined) options.callbackDelayMs = integer('--callback-delay', values['callback-delay']);
  if (values['auto-answer'] !== undefined) options.autoAnswerMs = integer('--auto-answer', values['auto-answer']);
  if (values['operation-delay'] !== undefined) options.operationDelayMs = integer('--operation-delay', values['operation-delay']);
  if (values['answer-timeout'] !== undefined) options.answerTimeoutMs = integer('--answer-timeout', values['answer-timeout'], MAX_TIMER_MS, 1);
  if (values['keepalive-timeout'] !== undefined) options.keepAliveTimeoutMs = integer('--keepalive-timeout', values['keepalive-timeout'], MAX_TIMER_MS, 1);
  if (values.incoming !== undefined) options.incoming = callbackUrl(values.incoming);
  return options;
}

/** Starts the emulator for the command line and prints its URLs; null after printing help. */
export async function main(argv: readonly string[], io: CliIo = consoleIo): Promise<GraphEmulator | null> {
  const parsed = parseCli(argv);
  if (parsed === null) {
    io.out(USAGE);
    return null;
  }
  const { verbose, bodies, incoming, ...options } = parsed;
  if (verbose) options.logger = verboseLogger(io, bodies === true);
  const emulator = await GraphEmulator.start(options);
  io.out(`Graph calling emulator listening`);
  io.out(`  base url:              ${emulator.url}`);
  io.out(`  inspector:             ${emulator.url}`);
  io.out(`  OpenID configuration:  ${emulator.openIdConfigurationUrl}`);
  io.out(`  keys (jwks_uri):       ${emulator.jwksUrl}`);
  io.out(`  tenant id:             ${emulator.tenantId}`);
  io.out(`  app id:                ${emulator.appId}`);
  if (incoming !== undefined) io.out(`  incoming call id:      ${emulator.placeIncomingCall({ callbackUri: incoming }).id}`);
  return emulator;
}

/** One stderr line per log message; bodies (request and notification) on their own line with `--bodies`, left out otherwise. */
function verboseLogger(io: CliIo, bodies: boolean): EmulatorLogger {
  return (message, details = {}) => {
    const { body, ...rest } = details;
    io.err(Object.keys(rest).length === 0 ? message : `${message} ${JSON.stringify(rest)}`);
    if (bodies && body !== undefined) io.err(`  body: ${JSON.stringify(body)}`);
  };
}

const consoleIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

function integer(flag: string, value: string, max = Number.MAX_SAFE_INTEGER, min = 0): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > max || n < min) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${value}".`);
  return n;
}

/** Node's longest timer. */
const MAX_TIMER_MS = 2_147_483_647;

function callbackUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--incoming must be an absolute http(s) URL, not "${value}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--incoming must be an absolute http(s) URL, not "${value}".`);
  return value;
}
