// runWorkload against real servers (after npm run build): the bot takes every mix body with a
// 2xx and does what each step means; a server that refuses the bodies, or does not start, gives
// an error for its figure instead of a rate.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { findOnPath } from '../../scripts/system-deps/probe.mjs';
import { killAll } from '../lib/children.mjs';
import { APP_ID, signedToken } from '../lib/fixtures.mjs';
import { runOffsets, runWorkload, stopAll } from '../http-workload.mjs';
import { writeWorkloadFile } from '../wrk/fill.mjs';
import { WORKLOADS } from '../wrk/templates.mjs';

const script = (path) => fileURLToPath(new URL(path, import.meta.url));

describe('runWorkload', { skip: findOnPath('wrk') ? false : 'wrk is not installed (apt-get install wrk)' }, () => {
  const dir = mkdtempSync(join(os.tmpdir(), 'bench-workload-test-'));
  after(() => {
    killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each run its own calls (new-call) or higher visits (mix), the same for every server', () => {
    assert.deepEqual(runOffsets(0, 2), { base: 2 * 2 ** 24, gen: 2_000_000 });
    assert.deepEqual(runOffsets(300, 2), { base: 0, gen: 2_000_000 });
  });

  it('measures the bot on the mix against the baseline, and turns refusals and start failures into errors', async () => {
    const { jwks, token } = await signedToken();
    const workload = { name: 'mix', calls: WORKLOADS.mix.calls, file: writeWorkloadFile(join(dir, 'mix.tsv'), 'mix') };
    const targets = [
      { key: 'baseline', label: 'baseline', script: script('../servers/baseline.mjs'), config: {} },
      { key: 'bot', label: 'bot', script: script('../servers/bot.mjs'), config: { appId: APP_ID, jwks, cache: true } },
      { key: 'refuses', label: 'refuses', script: script('./servers/refuses.mjs'), config: {} },
      { key: 'missing', label: 'missing', script: join(dir, 'no-such-server.mjs'), config: {} },
    ];
    const settings = { connections: 2, warmupS: 1, rounds: 2, roundS: 1 };
    const { servers, live } = await runWorkload({ workload, targets, settings, pinning: {}, headers: { authorization: `Bearer ${token}` }, log: () => undefined });
    await stopAll(live);
    assert.ok(servers.baseline.rps > 0 && servers.baseline.ratio === undefined);
    const bot = servers.bot;
    assert.equal(bot.roundsRps.length, 2);
    assert.ok(bot.ratio.min <= bot.ratio.median && bot.ratio.median <= bot.ratio.max && bot.ratio.min > 0);
    assert.equal(bot.server.errors, 0, bot.server.lastError);
    assert.deepEqual(Object.keys(bot.perDelivery).sort(), ['callEstablished', 'callUpdated', 'operationCompleted', 'rosterUpdated', 'toneReceived']);
    // A quarter of the visits press a tone, one in eight completes an operation (a few in-flight extras aside).
    assert.ok(Math.abs(bot.perDelivery.toneReceived - 0.25) < 0.03 && Math.abs(bot.perDelivery.operationCompleted - 0.125) < 0.02, JSON.stringify(bot.perDelivery));
    assert.match(servers.refuses.error, /^\d+ of \d+ answers were not 2xx$/);
    assert.match(servers.missing.error, /exited .* before sending 'ready'/);
  });
});
