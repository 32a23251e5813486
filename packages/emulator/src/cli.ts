#!/usr/bin/env node
/** The `graph-comms-emulator` command: starts the emulator and stops it on SIGINT/SIGTERM. */
import { main, UsageError, USAGE } from './cli-main.js';

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
