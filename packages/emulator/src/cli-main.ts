import { parseArgs } from 'node:util';
import { GraphEmulator } from './emulator.js';
import type { GraphEmulatorOptions } from './options.js';

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
                            [--issuer URL] [--callback-delay MS] [--auto-answer MS] [--operation-delay MS] [--verbose]

Starts a local stand-in for the Microsoft Graph calling service and prints its URLs.
Stops on SIGINT/SIGTERM.`;

/** Reads the command line into emulator options; null when help was asked for. */
export function parseCli(argv: readonly string[]): (GraphEmulatorOptions & { verbose: boolean }) | null {
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
        verbose: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) return null;
  const options: GraphEmulatorOptions & { verbose: boolean } = { verbose: values.verbose === true };
  if (values.port !== undefined) options.port = integer('--port', values.port, 65535);
  if (values.host !== undefined) options.host = values.host;
  if (values.tenant !== undefined) options.tenantId = values.tenant;
  if (values['app-id'] !== undefined) options.appId = values['app-id'];
  if (values.issuer !== undefined) options.issuer = values.issuer;
  if (values['callback-delay'] !== undefined) options.callbackDelayMs = integer('--callback-delay', values['callback-delay']);
  if (values['auto-answer'] !== undefined) options.autoAnswerMs = integer('--auto-answer', values['auto-answer']);
  if (values['operation-delay'] !== undefined) options.operationDelayMs = integer('--operation-delay', values['operation-delay']);
  return options;
}

/** Starts the emulator for the command line and prints its URLs; null after printing help. */
export async function main(argv: readonly string[], io: CliIo = consoleIo): Promise<GraphEmulator | null> {
  const parsed = parseCli(argv);
  if (parsed === null) {
    io.out(USAGE);
    return null;
  }
  const { verbose, ...options } = parsed;
  if (verbose) options.logger = (message, details) => io.err(details === undefined ? message : `${message} ${JSON.stringify(details)}`);
  const emulator = await GraphEmulator.start(options);
  io.out(`Graph calling emulator listening`);
  io.out(`  base url:              ${emulator.url}`);
  io.out(`  OpenID configuration:  ${emulator.openIdConfigurationUrl}`);
  io.out(`  keys (jwks_uri):       ${emulator.jwksUrl}`);
  io.out(`  tenant id:             ${emulator.tenantId}`);
  io.out(`  app id (token aud):    ${emulator.appId}`);
  return emulator;
}

const consoleIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

function integer(flag: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > max) throw new UsageError(`${flag} must be a whole number from 0 to ${max}, not "${value}".`);
  return n;
}
