import { afterAll, beforeAll, describe, it, expect } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BOT_SOURCE, tsconfigFor } from './bot-source.js';
import { createFreshProject, packageDirs, type FreshProject } from './fresh-project.js';

/**
 * The packages as a user gets them: packed, installed from the tarballs in a new project outside
 * the repository (third-party dependencies from the npm cache, offline), a small bot compiled
 * there with strict TypeScript 5.9 and 7, then run from ESM and from CommonJS against the emulator.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
let project: FreshProject;

beforeAll(() => {
  project = createFreshProject(root);
  mkdirSync(join(project.dir, 'src'));
  writeFileSync(join(project.dir, 'src/bot.mts'), BOT_SOURCE);
  writeFileSync(join(project.dir, 'src/bot.cts'), BOT_SOURCE);
}, 240_000);
afterAll(() => project?.remove());

/** Runs node in the project; a failure's message carries the child's stdout and stderr (tsc prints its errors to stdout). */
function node(args: string[], timeout: number): string {
  try {
    return execFileSync(process.execPath, args, { cwd: project.dir, encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const { stdout, stderr, signal } = error as { stdout?: string; stderr?: string; signal?: string };
    throw new Error(`node ${args.join(' ')} failed${signal ? ` (${signal})` : ''}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

describe('the tarballs', () => {
  it('hold, for every package under packages/, its README, LICENSE, built code and types, and no tests', () => {
    const names = packageDirs(root).map((dir) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string }).name);
    expect(project.packed.map((p) => p.name).sort()).toEqual(names.sort());
    for (const tarball of project.packed) {
      const paths = tarball.files.map((file) => file.path);
      expect({ name: tarball.name, has: ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts'].filter((path) => paths.includes(path)) }).toEqual({
        name: tarball.name,
        has: ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts'],
      });
      expect({ name: tarball.name, tests: paths.filter((path) => /(^|\/)test\/|\.test\.|tsbuildinfo/.test(path)) }).toEqual({ name: tarball.name, tests: [] });
    }
  });

  it('install as registry packages would: each internal dependency is a range, resolved to its sibling tarball', () => {
    for (const tarball of project.packed) {
      const installed = JSON.parse(readFileSync(join(project.dir, 'node_modules', tarball.name, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
      for (const [name, range] of Object.entries(installed.dependencies ?? {})) if (name.startsWith('@graph-comms/')) expect(`${name}@${range}`).toBe(`${name}@^${tarball.version}`);
    }
    // One copy of core, shared by the adapters and the store: no nested node_modules/@graph-comms.
    expect(() => readFileSync(join(project.dir, 'node_modules/@graph-comms/express-adapter/node_modules/@graph-comms/core/package.json'))).toThrow();
  });
});

describe.each([
  ['TypeScript 5.9', 'typescript', 'Version 5.9.', 'out-ts5'],
  ['TypeScript 7', 'typescript-latest', 'Version 7.', 'out-ts7'],
])('a bot compiled with %s', (_label, pkg, version, outDir) => {
  const tsc = join(root, 'node_modules', pkg, 'bin/tsc');

  it('compiles with strict, the packages\' declarations checked too', () => {
    expect(node([tsc, '--version'], 30_000)).toContain(version);
    writeFileSync(join(project.dir, `tsconfig.${outDir}.json`), tsconfigFor(outDir));
    node([tsc, '-p', `tsconfig.${outDir}.json`], 120_000);
  }, 150_000);

  it.each([
    ['ESM', 'bot.mjs', 'esm'],
    ['CommonJS', 'bot.cjs', 'cjs'],
  ])('runs from %s: one invite, operationCompleted, exit 0', (_kind, file, module) => {
    const lines = node([join(outDir, file)], 30_000).trim().split('\n');
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ event: 'operationCompleted', status: 'completed', module, store: 'function', redisPrefix: 'fresh-bot:' });
  }, 40_000);
});
