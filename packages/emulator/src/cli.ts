#!/usr/bin/env node
/** The `graph-comms-emulator` command: starts the emulator and stops it on SIGINT/SIGTERM. */
import { main, UsageError, USAGE } from './cli-main.js';

// The last line of defence of a long-running emulator: a stray rejection is reported, not fatal.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`graph-comms-emulator: unhandled rejection (still running): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
});

// Listened for before anything is printed: a process without a listener dies of SIGTERM at once,
// and whoever read the URLs may send it before main() has returned.
let emulator: Awaited<ReturnType<typeof main>> | undefined;
let stopping = false;
const stop = (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`${signal}: stopping the emulator\n`);
  if (emulator) void emulator.close().then(() => process.exit(0));
  else if (emulator === null) process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

try {
  emulator = await main(process.argv.slice(2));
  // A signal that came while it started: stop now that there is something to close.
  if (stopping && emulator) void emulator.close().then(() => process.exit(0));
  else if (stopping) process.exit(0);
} catch (error) {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`graph-comms-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
