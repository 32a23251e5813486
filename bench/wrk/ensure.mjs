// wrk (Debian's package) drives the HTTP figures. As root with apt-get the benchmark installs it
// when it is missing; elsewhere it stops at once with the command to run. Also a script of its
// own for .ci/run:  node bench/wrk/ensure.mjs
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { canInstall, findOnPath, isRoot } from '../../scripts/system-deps/probe.mjs';

const INSTALL = ['install', '-y', '-qq', 'wrk'];

/** What to do: `none` (wrk is there), `install` (root with apt-get), or `stop` with the command for a person to run. */
export function decideWrk({ found, canInstall: may, root }) {
  if (found) return { kind: 'none' };
  if (may) return { kind: 'install', message: `bench: wrk missing; installing it with apt-get (apt-get ${INSTALL.join(' ')})` };
  const sudo = root ? '' : 'sudo ';
  return { kind: 'stop', message: `bench: the HTTP figures need wrk, not found on PATH; install it (Debian/Ubuntu): ${sudo}apt-get install -y wrk` };
}

const aptGet = (args) => spawnSync('apt-get', args, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, stdio: ['ignore', 'ignore', 'inherit'] }).status === 0;

/**
 * Resolves wrk's path, installing it first when this process may. Throws with the one line to
 * show (and the command to run) when wrk is missing and cannot be installed here.
 */
export function ensureWrk(log = console.log) {
  const action = decideWrk({ found: findOnPath('wrk') !== undefined, canInstall: canInstall(), root: isRoot() });
  if (action.kind === 'stop') throw new Error(action.message);
  if (action.kind === 'install') {
    log(action.message);
    // A fresh machine may have no package lists yet: update once, then try again.
    if (!aptGet(INSTALL) && !(aptGet(['update', '-qq']) && aptGet(INSTALL))) throw new Error('bench: apt-get install wrk failed; run it yourself: apt-get update && apt-get install -y wrk');
  }
  const path = findOnPath('wrk');
  if (!path) throw new Error('bench: wrk is still not on PATH after apt-get install wrk');
  return path;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    ensureWrk();
  } catch (error) {
    console.error(error.message);
    process.exitCode = 1;
  }
}
