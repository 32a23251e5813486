import { describe, it, expect } from '@jest/globals';
import { execFile } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('npm start', () => {
  it('plays the five invite examples and a failing invite, and exits 0 with every expected event', async () => {
    // The built demo, as `npm start` runs it after its build step (npm test builds first).
    const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'samples/invite-bot/dist/demo.js')], { cwd: root, timeout: 60_000 });
    expect(stdout).toContain('all 6 examples produced their expected events');
    for (const event of ['rosterUpdated', 'operationCompleted', 'p2pReplaced', 'participantMoved', 'operationFailed']) expect(stdout).toContain(event);
    expect(stdout).not.toContain('! error');
  }, 90_000);
});
