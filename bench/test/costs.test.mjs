// Figures (5d–5p), (6c), (6m) (after npm run build): the scale child and the Redis child run for
// real on small sizes and say what they hold; bad settings give an error, not a figure; commands
// are named by the keys they touch; the rows say what failed or was skipped.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { forkNode, killAll, nextMessage, stop } from '../lib/children.mjs';
import { redisAvailable, startRedis } from '../lib/redis.mjs';
import { difference, labelOf } from '../lib/redis-counting.mjs';
import { allocationRows, redisCostRows, scaleRows } from '../report-costs.mjs';

const script = (path) => fileURLToPath(new URL(path, import.meta.url));
async function child(path, config, execArgv = []) {
  const proc = forkNode(script(path), { config, execArgv });
  try {
    return await nextMessage(proc, 'result', 60_000);
  } finally {
    await stop(proc);
  }
}

describe('cost figures', () => {
  after(killAll);

  it('names commands by what they touch', () => {
    assert.equal(labelOf('evalsha', ['sha', '2', 'p:{c}:call', 'p:{c}:outbox']), 'read call (script)');
    assert.equal(labelOf('evalsha', ['sha', '2', 'p:{c}:call', 'p:{c}:outbox', 'v', 'w']), 'write call (script)');
    assert.equal(labelOf('evalsha', ['sha', '1', 'p:{c}:outbox', 'id']), 'mark emitted (script)');
    assert.equal(labelOf('evalsha', ['sha', '1', 'p:{outboxes:3}', 'c']), 'outbox index (script)');
    assert.equal(labelOf('zadd', ['p:{deadlines:1}', '5', 'k']), 'zadd deadlines');
    assert.equal(labelOf('ping', []), 'ping');
    assert.deepEqual(difference({ a: 3, b: 2, info: 9 }, { a: 1, b: 2 }, ['info']), { a: 2 });
  });

  it('measures the heap at scale with one keepAlive deadline per established call', async () => {
    const r = await child('../heap-scale.mjs', { calls: 500 }, ['--expose-gc']);
    assert.equal(r.errors, 0, r.firstError);
    assert.deepEqual(r.tracked, { plain: 500, kept: 500 });
    assert.deepEqual(r.deadlines, { plain: {}, kept: { ka: 500, op: 500 } });
    assert.ok(r.perCallBytes > 0 && r.perPendingOperationBytes > 0, JSON.stringify(r));
    const rows = [];
    scaleRows(r, rows);
    assert.deepEqual(rows.map((x) => x.id), ['5d', '5k', '5p']);
    assert.match(rows[1].ratio, /^500 keepAlive deadlines held$/);
  });

  it('refuses a scale run without a number of calls, and one without --expose-gc', async () => {
    await assert.rejects(child('../heap-scale.mjs', {}, ['--expose-gc']), /calls must be a positive integer/);
    await assert.rejects(child('../heap-scale.mjs', { calls: 10 }), /run with --expose-gc/);
  });

  it('counts the Redis commands per notification of the mix, and the bytes per call', { skip: redisAvailable() ? false : 'redis-server is not installed' }, async () => {
    const redis = await startRedis();
    try {
      const r = await child('../redis-cost.mjs', { redisUrl: redis.url, calls: 64, cycles: 1 });
      assert.equal(r.notifications, 64 * 8);
      assert.equal(r.events.error, undefined);
      assert.equal(r.sent['read call (script)'], 1, 'one read per notification');
      assert.ok(r.markEmittedPerNotification > 0 && r.sent['mark emitted (script)'] > 0, JSON.stringify(r.sent));
      assert.ok(r.ranPerNotification > r.sentPerNotification, 'scripts run commands of their own');
      assert.ok(r.memory.usedPerCallBytes > 0 && r.memory.callKeyBytes > 0, JSON.stringify(r.memory));
    } finally {
      await redis.stop();
    }
  });

  it('refuses a Redis run without a server or with too few calls', async () => {
    await assert.rejects(child('../redis-cost.mjs', { calls: 64 }), /needs redisUrl/);
    await assert.rejects(child('../redis-cost.mjs', { redisUrl: 'redis://127.0.0.1:1', calls: 10 }), /calls must be an integer >= 64/);
  });

  it('says what failed or was skipped instead of a figure', () => {
    const rows = [];
    allocationRows({ bytesPerNotification: 100 }, { error: 'child died\nstack' }, rows);
    redisCostRows({ skipped: 'redis-server not found' }, rows);
    scaleRows({ calls: 10, errors: 1, firstError: 'boom' }, rows);
    scaleRows({ calls: 10, perCallBytes: 1, perDeadlineBytes: 1, perPendingOperationBytes: 1, storeEstimatePerCallBytes: 1, deadlines: { plain: {}, kept: { ka: 9 } } }, rows);
    assert.deepEqual(rows.map((r) => r.value).slice(0, 4), ['100 B', 'error: child died', 'skipped: redis-server not found', 'error: 1 error events (boom)']);
    assert.equal(rows.at(-2).ratio, 'expected 10 keepAlive deadlines, found 9');
  });
});
