#!/usr/bin/env node
// The `graph-comms-emulator` command. This file is committed (dist/ is not), so that npm links
// the bin on a fresh clone before anything is built; it runs the built CLI (dist/cli.js), and
// builds it first with the workspace's TypeScript when it is missing (e.g. `npm ci --ignore-scripts`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);

if (!existsSync(fileURLToPath(cli))) {
  const packageDir = fileURLToPath(new URL('..', import.meta.url));
  let tsc;
  try {
    tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  } catch {
    process.stderr.write('graph-comms-emulator: dist/cli.js is missing and TypeScript is not installed: run `npm run build` first.\n');
    process.exit(1);
  }
  process.stderr.write('graph-comms-emulator: building the emulator first (tsc -b packages/emulator)\n');
  const built = spawnSync(process.execPath, [tsc, '-b', packageDir], { stdio: ['ignore', 2, 2] });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

await import(cli.href);
