import { describe, it, expect } from '@jest/globals';
import { execFile } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The built demo, as `npm start` runs it after its build step (npm test builds first). */
function runDemo(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [join(root, 'samples/invite-bot/dist/demo.js')], { cwd: root, timeout: 60_000 }, (_error, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

describe('npm start', () => {
  it("plays the five invite examples, a failing invite and a call's whole life, and exits 0 with every expected event", async () => {
    const { code, stdout, stderr } = await runDemo();
    // The output names what was missing: show it when the exit code is wrong.
    expect({ code, stderr, tail: stdout.split('\n').slice(-8).join('\n') }).toEqual(expect.objectContaining({ code: 0 }));
    expect(stdout).toContain("all 7 parts produced their expected events (6 invite examples, a call's whole life)");
    for (const event of ['rosterUpdated', 'operationCompleted', 'p2pReplaced', 'participantMoved', 'operationFailed', 'incomingCall', 'callEstablished', 'toneReceived']) expect(stdout).toContain(event);
    // The call's whole life, step by step.
    expect(stdout).toMatch(/♪ toneReceived +call \S+: 1 \(tone1, sequence 1\)/);
    expect(stdout).toMatch(/bot: downloaded the recording: \d+ bytes, a WAV \(starts with RIFF\)/);
    expect(stdout).toContain('bot: transfer completed');
    expect(stdout).toMatch(/■ callTerminated +call \S+ 0\/7015 transferred/);
    expect(stdout).toContain('bot: hanging up (keys pressed on this call: 1 2 #)');
    expect(stdout.slice(stdout.indexOf('bot: hanging up'))).toMatch(/■ callTerminated +call \S+ 200\/5001 ended: the conversation has ended/);
    expect(stdout).not.toContain('! error');
  }, 90_000);
});
