// What this machine has: which of the needed commands are on PATH, and whether we may install.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { TOOLS } from './decide.mjs';

const isExecutable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/** The full path of `command` on `env.PATH`, or undefined. */
export function findOnPath(command, env = process.env) {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && isExecutable(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

// The browser tests take $CHROMIUM_PATH first, and Ubuntu names the binary chromium-browser.
const hasChromium = (env) => (env.CHROMIUM_PATH ? isExecutable(env.CHROMIUM_PATH) : false) || ['chromium', 'chromium-browser'].some((name) => findOnPath(name, env));

/** The commands of TOOLS that this machine lacks. */
export function missingTools(env = process.env) {
  return TOOLS.map((tool) => tool.command).filter((command) => (command === 'chromium' ? !hasChromium(env) : !findOnPath(command, env)));
}

/** Whether this process runs as root (there is no uid on Windows). */
export const isRoot = () => process.getuid?.() === 0;

/** Root with apt-get on PATH: the only case where the script installs by itself. */
export const canInstall = (env = process.env) => isRoot() && findOnPath('apt-get', env) !== undefined;
