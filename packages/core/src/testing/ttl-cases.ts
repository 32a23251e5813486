import assert from 'node:assert/strict';
import { conformanceCase, type CallStoreHarness, type ConformanceCase } from './harness.js';
import { blankRecord, put } from './records.js';
import { eventually } from './wait.js';

// Short enough to wait for, long enough that a write and a read fit in them on any machine
// (what stays is checked against a store with long limits, never against the clock).
const SHORT_MS = 200;
const LONG_MS = 600_000;

/** How long records are kept. */
export function ttlCases(h: CallStoreHarness): ConformanceCase[] {
  return [
    conformanceCase(h, 'retention: an ended call is gone after retentionMs, while a live call stays, and an ended one with a long retention too', async (scope) => {
      const store = await scope.store({ retentionMs: SHORT_MS, idleTimeoutMs: LONG_MS });
      const lasting = await scope.store({ retentionMs: LONG_MS, idleTimeoutMs: LONG_MS });
      const now = Date.now();
      const ended = { ...blankRecord('ended', now), endedAt: now };
      await put(lasting, ended);
      await put(store, ended);
      await put(store, blankRecord('live', now));
      await eventually(`an ended call is gone ${SHORT_MS} ms after it ended`, async () => (await store.getCall('ended')) === undefined);
      assert.notEqual(await store.getCall('live'), undefined, 'a live call is kept for idleTimeoutMs');
      assert.deepEqual(await lasting.getCall('ended'), ended, 'an ended call is kept for retentionMs');
    }),

    conformanceCase(h, 'idle timeout: a call with no write for idleTimeoutMs is gone, and with a long idle timeout it stays', async (scope) => {
      const store = await scope.store({ retentionMs: LONG_MS, idleTimeoutMs: SHORT_MS });
      const lasting = await scope.store({ retentionMs: LONG_MS, idleTimeoutMs: LONG_MS });
      const idle = blankRecord('idle');
      await put(lasting, idle);
      await put(store, idle);
      await eventually(`a call is gone ${SHORT_MS} ms after its last write`, async () => (await store.getCall('idle')) === undefined);
      assert.deepEqual(await lasting.getCall('idle'), idle);
    }),

    conformanceCase(h, 'idle timeout: a call written again after it expired starts afresh, its old record gone', async (scope) => {
      const store = await scope.store({ retentionMs: LONG_MS, idleTimeoutMs: SHORT_MS });
      await put(store, { ...blankRecord('call'), rosterSequence: 1 });
      await eventually('the call expires', async () => (await store.getCall('call')) === undefined);
      let seen: unknown = 'not run';
      await store.updateCall('call', (r) => ((seen = r), { record: blankRecord('call'), effects: [], value: undefined }));
      assert.equal(seen, undefined, 'the step of an expired call sees no record');
      assert.equal((await store.getCall('call'))?.rosterSequence, undefined);
    }),
  ];
}
