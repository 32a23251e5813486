import { afterAll, describe, it, expect } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshLockfile, type LockEntry } from './lockfile.js';

// A small repository lockfile: a workspace link, a nested copy, a dev flag, a platform-only binary.
const dir = mkdtempSync(join(tmpdir(), 'fresh-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const repoLock = (packages: Record<string, LockEntry>): string => {
  const file = join(dir, `lock-${Object.keys(packages).length}.json`);
  writeFileSync(file, JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'repo' }, ...packages } }));
  return file;
};

const local = new Map<string, LockEntry>([['@graph-comms/core', { version: '0.1.0', resolved: 'file:tarballs/core.tgz', dependencies: { jose: '^6.0.0' } }]]);

describe('the fresh project lockfile', () => {
  it('takes the repository versions, nearest copy first, with tarball URLs and without dev flags', () => {
    const file = repoLock({
      'node_modules/@graph-comms/core': { resolved: 'packages/core', link: true },
      'node_modules/jose': { version: '6.2.17', integrity: 'sha512-j', dev: true },
      'node_modules/express': { version: '5.3.0', dependencies: { debug: '^4.4.0' } },
      'node_modules/express/node_modules/debug': { version: '4.4.3', optionalDependencies: { fsevents: '^2' } },
      'node_modules/debug': { version: '2.6.9' },
      'node_modules/@types/node': { version: '20.19.43', peer: true },
    });
    const lock = freshLockfile(file, { '@graph-comms/core': 'file:tarballs/core.tgz', express: '^5.0.0', '@types/node': '^20.0.0' }, local);
    expect(lock.packages).toEqual({
      '': { name: 'fresh-bot', version: '1.0.0', dependencies: { '@graph-comms/core': 'file:tarballs/core.tgz', express: '^5.0.0', '@types/node': '^20.0.0' } },
      'node_modules/@graph-comms/core': { version: '0.1.0', resolved: 'file:tarballs/core.tgz', dependencies: { jose: '^6.0.0' } },
      'node_modules/jose': { version: '6.2.17', integrity: 'sha512-j', resolved: 'https://registry.npmjs.org/jose/-/jose-6.2.17.tgz' },
      'node_modules/express': { version: '5.3.0', dependencies: { debug: '^4.4.0' }, resolved: 'https://registry.npmjs.org/express/-/express-5.3.0.tgz' },
      'node_modules/express/node_modules/debug': { version: '4.4.3', optionalDependencies: { fsevents: '^2' }, resolved: 'https://registry.npmjs.org/debug/-/debug-4.4.3.tgz' },
      'node_modules/@types/node': { version: '20.19.43', resolved: 'https://registry.npmjs.org/@types/node/-/node-20.19.43.tgz' },
    });
    expect(lock).toMatchObject({ lockfileVersion: 3, requires: true });
  });

  it('brings required peers, and leaves out optional ones that nothing else needs', () => {
    const file = repoLock({
      'node_modules/adapter': { version: '1.0.0', peerDependencies: { fastify: '^5', pino: '^9' }, peerDependenciesMeta: { pino: { optional: true } } },
      'node_modules/fastify': { version: '5.1.0' },
      'node_modules/pino': { version: '9.0.0' },
    });
    expect(Object.keys(freshLockfile(file, { adapter: '^1' }, new Map()).packages)).toEqual(['', 'node_modules/adapter', 'node_modules/fastify']);
  });

  it('fails naming the package and who needs it when the repository lockfile lacks it', () => {
    const file = repoLock({ 'node_modules/express': { version: '5.3.0', dependencies: { router: '^2' } } });
    expect(() => freshLockfile(file, { express: '^5' }, new Map())).toThrow("packaging: router (needed by node_modules/express) is not in the repository's package-lock.json");
  });
});
