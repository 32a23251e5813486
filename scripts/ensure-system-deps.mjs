#!/usr/bin/env node
// Run first by `npm test` (the root `pretest`): the tests need redis-server, redis-cli and
// Chromium. As root with apt-get (our machines, CI) it installs what is missing; elsewhere it
// stops at once with the command to run, instead of letting tests fail later with noisy errors.
import { spawnSync } from 'node:child_process';
import { decide } from './system-deps/decide.mjs';
import { canInstall, isRoot, missingTools } from './system-deps/probe.mjs';

const fail = (line) => {
  console.error(line);
  process.exit(1);
};

const action = decide({ missing: missingTools(), canInstall: canInstall(), root: isRoot() });
if (action.kind === 'stop') fail(action.message);

if (action.kind === 'install') {
  console.log(action.message);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...action.packages]]) {
    // dpkg's progress goes to stdout and is dropped; apt's errors stay on stderr.
    const run = spawnSync('apt-get', args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (run.status !== 0) fail(`system-deps: apt-get ${args[0]} failed (${run.error?.message ?? `exit ${run.status ?? run.signal}`}); run it yourself: ${action.command}`);
  }
  const still = missingTools();
  if (still.length > 0) fail(`system-deps: still missing after apt-get install: ${still.join(', ')}`);
}
