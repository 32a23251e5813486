import assert from 'node:assert/strict';
import type { CallRecord } from '../state/call-record.js';
import type { CallStore } from '../store/call-store.js';
import { conformanceCase, type CallStoreHarness, type ConformanceCase } from './harness.js';
import { blankRecord, countOf, increment, put, storing } from './records.js';
import { eventually } from './wait.js';

/** `n` increments of one call, spread over `stores`, all at once: every one must apply once. */
async function concurrentIncrements(stores: CallStore[], callId: string, n: number): Promise<void> {
  const values = await Promise.all(Array.from({ length: n }, (_, i) => stores[i % stores.length]!.updateCall(callId, increment(callId)).then((s) => s.value)));
  assert.equal(countOf(await stores[0]!.getCall(callId)), n, `${n} concurrent increments must all apply`);
  // Each resolves with the count its committed run wrote: 1..n, each once.
  assert.deepEqual([...values].sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i + 1), 'each update resolves with the count it committed');
}

/** Atomic steps: what a step sees, what it writes, and that nothing is lost under contention. */
export function atomicCases(h: CallStoreHarness): ConformanceCase[] {
  return [
    conformanceCase(h, 'updateCall: a step sees the current record (undefined for a new call), and what it returns is stored and resolved', async (scope) => {
      const store = await scope.store();
      const seen: Array<CallRecord | undefined> = [];
      const first = blankRecord('call-1');
      const done = await store.updateCall('call-1', (r) => (seen.push(r), { record: first, effects: [], value: 'first' }));
      assert.equal(seen[0], undefined, 'a new call has no record');
      assert.equal(done.value, 'first');
      const second = { ...first, rosterSequence: 2 };
      await store.updateCall('call-1', (r) => (seen.push(r), { record: second, effects: [], value: undefined }));
      assert.deepEqual(seen.at(-1), first, 'the step sees the record written before');
      assert.deepEqual(await store.getCall('call-1'), second);
    }),

    conformanceCase(h, 'updateCall: a step returning record undefined writes nothing, neither creating nor deleting a call', async (scope) => {
      const store = await scope.store();
      await store.updateCall('absent', storing(undefined));
      assert.equal(await store.getCall('absent'), undefined);
      const kept = blankRecord('kept');
      await put(store, kept);
      await store.updateCall('kept', storing(undefined));
      assert.deepEqual(await store.getCall('kept'), kept);
    }),

    conformanceCase(h, 'updateCall: a step returning the very record it was given writes nothing, so it does not keep an idle call alive', async (scope) => {
      const lasting = await scope.store();
      const record = blankRecord('idle');
      await put(lasting, record);
      await lasting.updateCall('idle', (r) => ({ record: r, effects: [], value: undefined }));
      assert.deepEqual(await lasting.getCall('idle'), record);
      const store = await scope.store({ idleTimeoutMs: 300 });
      await put(store, blankRecord('idle'));
      await eventually('a call whose only updates returned the record given expires', async () => {
        await store.updateCall('idle', (r) => ({ record: r, effects: [], value: undefined }));
        return (await store.getCall('idle')) === undefined;
      });
    }),

    conformanceCase(h, 'updateCall: a step that throws rejects with its error and writes nothing', async (scope) => {
      const store = await scope.store();
      const kept = blankRecord('kept');
      await put(store, kept);
      const thrown = new Error('the step failed');
      for (const callId of ['kept', 'absent']) {
        await assert.rejects(
          store.updateCall(callId, () => {
            throw thrown;
          }),
          (error) => error === thrown,
        );
      }
      assert.deepEqual(await store.getCall('kept'), kept);
      assert.equal(await store.getCall('absent'), undefined);
    }),

    conformanceCase(h, 'updateCall: 100 concurrent increments of one call through one store all apply once', async (scope) => {
      await concurrentIncrements([await scope.store()], 'contended', 100);
    }),

    conformanceCase(h, 'updateCall: 100 concurrent increments of one call through two peers all apply once', async (scope) => {
      const store = await scope.store();
      await concurrentIncrements([store, await scope.peer(store)], 'contended', 100);
    }),

    conformanceCase(h, 'updateCall: concurrent updates of different calls are independent: each step sees only its own call', async (scope) => {
      const store = await scope.store();
      const peer = await scope.peer(store);
      const calls = Array.from({ length: 10 }, (_, i) => `call-${i}`);
      const strays: string[] = [];
      const step = (callId: string) => (r: CallRecord | undefined) => {
        if (r && r.callId !== callId) strays.push(`${callId} saw ${r.callId}`);
        return increment(callId)(r);
      };
      await Promise.all(calls.flatMap((callId, i) => Array.from({ length: 10 }, (_, j) => ((i + j) % 2 ? store : peer).updateCall(callId, step(callId)))));
      assert.deepEqual(strays, []);
      for (const callId of calls) assert.equal(countOf(await store.getCall(callId)), 10, `${callId} got its own 10 increments`);
    }),
  ];
}
