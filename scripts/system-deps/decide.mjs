// The decision of ensure-system-deps.mjs, kept free of I/O so that every case is tested directly.

/** The commands the tests need, and the Debian package that provides each. */
export const TOOLS = Object.freeze([
  { command: 'redis-server', aptPackage: 'redis-server' },
  // redis-server depends on redis-tools, so it brings redis-cli too.
  { command: 'redis-cli', aptPackage: 'redis-tools', providedWith: 'redis-server' },
  { command: 'chromium', aptPackage: 'chromium' },
]);

/** The Debian packages that provide the missing commands, in the order of TOOLS, each once. */
export function aptPackagesFor(missing) {
  const packages = [];
  for (const tool of TOOLS) {
    if (!missing.includes(tool.command)) continue;
    const covered = tool.providedWith !== undefined && missing.includes(tool.providedWith);
    if (!covered && !packages.includes(tool.aptPackage)) packages.push(tool.aptPackage);
  }
  return packages;
}

/** The shell command that installs `packages`, with `sudo` for someone who is not root. */
export function installCommand(packages, { root }) {
  const sudo = root ? '' : 'sudo ';
  return `${sudo}apt-get update -qq && ${sudo}DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages.join(' ')}`;
}

/**
 * What to do about the missing commands: nothing, install them (root with apt-get), or stop
 * with the one line that says what is missing and the command that installs it.
 */
export function decide({ missing, canInstall, root }) {
  const unknown = missing.filter((command) => !TOOLS.some((tool) => tool.command === command));
  if (unknown.length > 0) throw new TypeError(`decide: unknown commands ${unknown.join(', ')}`);
  if (missing.length === 0) return { kind: 'none' };
  const packages = aptPackagesFor(missing);
  const command = installCommand(packages, { root });
  const what = missing.join(', ');
  if (canInstall) return { kind: 'install', packages, command, message: `system-deps: ${what} missing; installing ${packages.join(' ')} with apt-get` };
  return {
    kind: 'stop',
    packages,
    command,
    message: `system-deps: npm test needs ${what}, not found on PATH; install them (Debian/Ubuntu): ${command}` + (missing.includes('chromium') ? ' (or set CHROMIUM_PATH to a Chromium binary)' : ''),
  };
}
