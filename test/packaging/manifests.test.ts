import { describe, it, expect } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageDirs } from './fresh-project.js';

/** What each package's manifest, README and LICENSE must hold to be published as it is. */
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const COPYRIGHT = 'Copyright (c) 2026 graph-comms contributors';

interface Manifest {
  name: string;
  version: string;
  license?: string;
  files?: string[];
  engines?: { node?: string };
  keywords?: string[];
  repository?: { type?: string; url?: string; directory?: string };
  publishConfig?: { access?: string };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const manifestOf = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
const versions = new Map(packageDirs(root).map((dir) => [manifestOf(dir).name, manifestOf(dir).version]));

const PACKAGE_NAME = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[\w./-]+)?$/;

/** The packages that a package's sources import by name (`node:` built-ins left out). */
function importedPackages(dir: string): Set<string> {
  const names = new Set<string>();
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        for (const [, specifier = ''] of readFileSync(path, 'utf8').matchAll(/(?:from|import\()\s*'([^'.][^']*)'/g)) {
          // A string in a source that only looks like an import (the inspector page's script) is no package name.
          if (specifier.startsWith('node:') || !PACKAGE_NAME.test(specifier)) continue;
          names.add(specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
        }
      }
    }
  };
  walk(join(dir, 'src'));
  return names;
}

it('the repository has the MIT LICENSE', () => {
  expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toContain(COPYRIGHT);
});

describe.each(packageDirs(root).map((dir) => [basename(dir), dir]))('packages/%s', (folder, dir) => {
  const manifest = manifestOf(dir);

  it('has the fields a registry and its users need', () => {
    expect(manifest.name).toBe(`@graph-comms/${folder}`);
    expect(manifest.license).toBe('MIT');
    expect(manifest.files).toEqual(expect.arrayContaining(['dist']));
    expect(manifest.engines?.node).toMatch(/^>=\d+/);
    expect(manifest.keywords?.length).toBeGreaterThan(2);
    expect(manifest.repository).toMatchObject({ type: 'git', url: expect.stringMatching(/^git\+https:\/\//), directory: `packages/${folder}` });
    expect(manifest.publishConfig?.access).toBe('public');
  });

  it('depends on registry ranges only: ^version for its siblings, no file:, link: or workspace: paths', () => {
    for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      expect(`${name}@${range}`).not.toMatch(/@(file|link|workspace|git\+?[a-z]*):|@\*$|@\.{0,2}\//);
      if (versions.has(name)) expect(`${name}@${range}`).toBe(`${name}@^${versions.get(name)}`);
    }
    for (const name of Object.keys(manifest.peerDependenciesMeta ?? {})) expect(manifest.peerDependencies).toHaveProperty([name]);
  });

  it('declares every package its sources import', () => {
    const declared = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    expect([...importedPackages(dir)].filter((name) => !declared.has(name))).toEqual([]);
  });

  it('has a LICENSE and a README with install, an example, options and the API reference', () => {
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toContain(COPYRIGHT);
    expect(existsSync(join(dir, 'README.md'))).toBe(true);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain(`npm install`);
    expect(readme).toContain(manifest.name);
    expect(readme).toMatch(/```ts\n/);
    expect(readme).toMatch(/\| option \|/);
    expect(readme).toMatch(/docs\/api/);
  });
});
