import { describe, it, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aptPackagesFor, decide, installCommand } from '../../scripts/system-deps/decide.mjs';
import { canInstall, findOnPath, missingTools } from '../../scripts/system-deps/probe.mjs';

const script = join(dirname(fileURLToPath(import.meta.url)), '../../scripts/ensure-system-deps.mjs');
const ALL = ['redis-server', 'redis-cli', 'chromium'];

describe('the system-deps decision', () => {
  it('does nothing when every command is there, whoever runs it', () => {
    for (const canInstall of [true, false]) expect(decide({ missing: [], canInstall, root: canInstall })).toEqual({ kind: 'none' });
  });

  it('installs what is missing as root with apt-get, in one line', () => {
    const action = decide({ missing: ALL, canInstall: true, root: true });
    expect(action).toEqual({
      kind: 'install',
      packages: ['redis-server', 'chromium'],
      command: 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server chromium',
      message: 'system-deps: redis-server, redis-cli, chromium missing; installing redis-server chromium with apt-get',
    });
  });

  it('stops with the exact command, with sudo for someone who is not root', () => {
    const action = decide({ missing: ['chromium'], canInstall: false, root: false });
    expect(action.kind).toBe('stop');
    if (action.kind !== 'stop') return;
    expect(action.command).toBe('sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium');
    expect(action.message).toContain(action.command);
    expect(action.message).toContain('CHROMIUM_PATH');
    expect(action.message).not.toContain('\n');
  });

  it('stops as root when there is no apt-get, naming the command without sudo', () => {
    const action = decide({ missing: ['redis-server'], canInstall: false, root: true });
    expect(action).toMatchObject({ kind: 'stop', command: 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server' });
    if (action.kind === 'stop') expect(action.message).not.toContain('CHROMIUM_PATH');
  });

  it('asks for redis-tools only when redis-cli is missing without redis-server', () => {
    expect(aptPackagesFor(['redis-cli'])).toEqual(['redis-tools']);
    expect(aptPackagesFor(['redis-server', 'redis-cli'])).toEqual(['redis-server']);
    expect(aptPackagesFor(['chromium', 'redis-server'])).toEqual(['redis-server', 'chromium']);
    expect(installCommand(['redis-tools'], { root: true })).toBe('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-tools');
  });

  it('refuses a command it does not know', () => {
    expect(() => decide({ missing: ['redis'], canInstall: true, root: true })).toThrow('decide: unknown commands redis');
  });
});

describe('the probe', () => {
  const withBin = (files: Record<string, number>, check: (bin: string) => void): void => {
    const bin = mkdtempSync(join(tmpdir(), 'system-deps-'));
    try {
      for (const [name, mode] of Object.entries(files)) {
        writeFileSync(join(bin, name), '#!/bin/sh\n');
        chmodSync(join(bin, name), mode);
      }
      check(bin);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  };

  it('counts executable files on PATH only', () => {
    withBin({ 'redis-server': 0o755, 'redis-cli': 0o644 }, (bin) => {
      expect(findOnPath('redis-server', { PATH: bin })).toBe(join(bin, 'redis-server'));
      expect(findOnPath('redis-cli', { PATH: bin })).toBeUndefined();
      expect(missingTools({ PATH: bin })).toEqual(['redis-cli', 'chromium']);
      expect(canInstall({ PATH: bin })).toBe(false);
    });
  });

  it('takes chromium-browser or $CHROMIUM_PATH for chromium', () => {
    withBin({ 'chromium-browser': 0o755, 'my-chromium': 0o755 }, (bin) => {
      expect(missingTools({ PATH: bin })).toEqual(['redis-server', 'redis-cli']);
      expect(missingTools({ PATH: '', CHROMIUM_PATH: join(bin, 'my-chromium') })).toEqual(['redis-server', 'redis-cli']);
      expect(missingTools({ PATH: '', CHROMIUM_PATH: join(bin, 'absent') })).toEqual(['redis-server', 'redis-cli', 'chromium']);
    });
  });
});

describe('ensure-system-deps.mjs', () => {
  it('stops at once, exit 1 and one line, on a PATH without the tools nor apt-get', () => {
    const bin = mkdtempSync(join(tmpdir(), 'system-deps-'));
    try {
      // An empty directory as the whole PATH: no redis-server, redis-cli, chromium or apt-get.
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: bin };
      delete env['CHROMIUM_PATH'];
      const run = spawnSync(process.execPath, [script], { env, encoding: 'utf8', timeout: 10_000 });
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines).toEqual([expect.stringContaining('npm test needs redis-server, redis-cli, chromium, not found on PATH')]);
      expect(lines[0]).toContain('apt-get update -qq && ');
      expect(lines[0]).toContain('apt-get install -y -qq redis-server chromium');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('passes quietly on this machine, which has them all', () => {
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 10_000 });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });
});
