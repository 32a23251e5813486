import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshLockfile, type LockEntry } from './lockfile.js';

/** One package as `npm pack --json` describes its tarball. */
export interface PackedPackage {
  name: string;
  version: string;
  filename: string;
  integrity: string;
  files: { path: string }[];
}

/** A project outside the repository with every package installed from its tarball. */
export interface FreshProject {
  dir: string;
  packed: PackedPackage[];
  /** Removes the project's directory. */
  remove(): void;
}

type Manifest = { name: string; version: string; private?: boolean } & Record<string, unknown>;
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** Every publishable package under `packages/`, including ones added after this test was written. */
export function packageDirs(root: string): string[] {
  return readdirSync(join(root, 'packages'))
    .map((name) => join(root, 'packages', name))
    .filter((dir) => existsSync(join(dir, 'package.json')) && readJson<Manifest>(join(dir, 'package.json')).private !== true);
}

// The user's npm, not the one `npm test` may have configured through npm_* variables.
const npmEnv = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
const npm = (args: string[], cwd: string, timeout: number): string => execFileSync('npm', args, { cwd, env: npmEnv(), encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });

// What a user adds next to the packages; the ranges are the repository's, so its lockfile has them.
const THIRD_PARTY = ['@microsoft/microsoft-graph-client', 'express', '@types/express', '@types/node'];

/** Packs every package (built dist/ as it is: `npm test` builds first) and installs the tarballs in a new project in the temp dir. */
export function createFreshProject(root: string): FreshProject {
  const dir = mkdtempSync(join(tmpdir(), 'graph-comms-packaging-'));
  try {
    const tarballs = join(dir, 'tarballs');
    mkdirSync(tarballs);
    const dirs = packageDirs(root);
    const packed = JSON.parse(npm(['pack', ...dirs, '--json', '--ignore-scripts', '--pack-destination', tarballs], root, 60_000)) as PackedPackage[];

    const local = new Map<string, LockEntry>();
    const dependencies: Record<string, string> = {};
    const manifests = new Map(dirs.map((packageDir) => readJson<Manifest>(join(packageDir, 'package.json'))).map((manifest) => [manifest.name, manifest]));
    for (const tarball of packed) {
      const manifest = manifests.get(tarball.name);
      if (!manifest) throw new Error(`packaging: npm pack made ${tarball.filename}, from no package under packages/`);
      const resolved = `file:tarballs/${tarball.filename}`;
      const fields = ['license', 'dependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines'].filter((field) => manifest[field] !== undefined);
      local.set(tarball.name, { version: tarball.version, resolved, integrity: tarball.integrity, ...Object.fromEntries(fields.map((field) => [field, manifest[field]])) });
      dependencies[tarball.name] = resolved;
    }
    const repoRanges = readJson<{ devDependencies: Record<string, string> }>(join(root, 'package.json')).devDependencies;
    for (const name of THIRD_PARTY) dependencies[name] = repoRanges[name] ?? '*';

    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'fresh-bot', version: '1.0.0', private: true, dependencies }, null, 2));
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(freshLockfile(join(root, 'package-lock.json'), dependencies, local), null, 2));
    // --offline: the npm cache only, never the network.
    npm(['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], dir, 120_000);
    return { dir, packed, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
