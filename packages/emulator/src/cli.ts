#!/usr/bin/env node
/** The `graph-comms-emulator` command: starts the emulator and stops it on SIGINT/SIGTERM. */
import { main, UsageError, USAGE } from './cli-main.js';

// The last line of defence of a long-running emulator: a stray rejection is reported, not fatal.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`graph-comms-emulator: unhandled rejection (still running): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
});

try {
  const emulator = await main(process.argv.slice(2));
  if (emulator !== null) {
    const stop = (signal: NodeJS.Signals) => {
      process.stderr.write(`${signal}: stopping the emulator\n`);
      void emulator.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`graph-comms-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
