import { readFileSync } from 'node:fs';

/** One `packages` entry of a package-lock.json (version 3). */
export interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

/** A package-lock.json, as much of it as this reads. */
export interface Lockfile {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

const tarballUrl = (name: string, version: string): string => `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`;
const nameAt = (key: string): string => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);

/**
 * The lockfile of a fresh project whose root depends on `rootDependencies`: the same versions the
 * repository's lockfile holds, at the same places, with `local` (the packed tarballs) in place of
 * the workspace links. With it, `npm ci --offline` installs from the npm cache alone: every
 * third-party tarball was fetched into it by the repository's own install, under the URL written here.
 */
export function freshLockfile(repoLockPath: string, rootDependencies: Record<string, string>, local: ReadonlyMap<string, LockEntry>): Lockfile {
  const repo = (JSON.parse(readFileSync(repoLockPath, 'utf8')) as Lockfile).packages;
  const packages: Record<string, LockEntry> = { '': { name: 'fresh-bot', version: '1.0.0', dependencies: rootDependencies } };

  // Node's lookup: the nearest node_modules/<name> from `from` upwards.
  const find = (from: string, name: string): [string, LockEntry] | undefined => {
    const own = local.get(name);
    if (own) return [`node_modules/${name}`, own];
    for (let base = from; ; ) {
      const key = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
      const entry = repo[key];
      if (entry && !entry.link) return [key, entry];
      if (base === '') return undefined;
      const cut = base.lastIndexOf('/node_modules/');
      base = cut < 0 ? '' : base.slice(0, cut);
    }
  };

  const visit = (from: string, entry: LockEntry): void => {
    const needed = { ...entry.dependencies, ...entry.optionalDependencies };
    for (const [name, range] of Object.entries(entry.peerDependencies ?? {})) if (!entry.peerDependenciesMeta?.[name]?.optional) needed[name] = range;
    for (const name of Object.keys(needed)) {
      const found = find(from, name);
      if (!found) {
        if (entry.optionalDependencies?.[name] !== undefined) continue; // another platform's binary
        throw new Error(`packaging: ${name} (needed by ${from || 'the fresh project'}) is not in the repository's package-lock.json`);
      }
      const [key, lock] = found;
      if (packages[key]) continue;
      // The repository's dev/peer flags do not describe this project; npm recomputes them.
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...rest } = lock;
      packages[key] = rest.resolved || rest.version === undefined ? rest : { ...rest, resolved: tarballUrl(nameAt(key), rest.version) };
      visit(key, lock);
    }
  };
  visit('', { dependencies: rootDependencies });
  return { name: 'fresh-bot', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}
