import { describe, it, expect } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// The packages as users get them: built dist/ through each package's exports map (npm test builds first).
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (file: string, source: string): string => {
  const dir = mkdtempSync(join(root, '.packaging-'));
  try {
    writeFileSync(join(dir, file), source);
    return execFileSync(process.execPath, [join(dir, file)], { cwd: root, encoding: 'utf8' }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

describe('packages', () => {
  it('import from a plain .mjs file', () => {
    const out = run(
      'check.mjs',
      `import { CallingBot, MemoryCallStore, createGraphTokenVerifier, InviteValidationError, TokenVerificationError, CALLING_BOT_EVENTS } from '@graph-comms/core';
       import { createCallbackMiddleware } from '@graph-comms/express-adapter';
       import { GraphEmulator } from '@graph-comms/emulator';
       const bot = new CallingBot({ appId: 'x', tokenVerifier: false });
       await bot.close();
       console.log([typeof CallingBot, typeof MemoryCallStore, typeof createGraphTokenVerifier, typeof InviteValidationError, typeof TokenVerificationError, CALLING_BOT_EVENTS.length, typeof createCallbackMiddleware, typeof GraphEmulator].join(' '));`,
    );
    expect(out).toBe('function function function function function 12 function function');
  });

  it('load with require() from CommonJS (Node 20.19+ loads ESM-only packages)', () => {
    const out = run('check.cjs', `const { CallingBot } = require('@graph-comms/core'); console.log(typeof CallingBot);`);
    expect(out).toBe('function');
  });
});
