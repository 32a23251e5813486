import assert from 'node:assert/strict';
import type { CallStore } from '../store/call-store.js';
import { conformanceCase, type CallStoreHarness, type ConformanceCase } from './harness.js';
import { has } from './optional.js';
import { blankRecord, entry, put, withEntries } from './records.js';

// Times are the caller's: any numbers do, far from the clock so that nothing else matters.
const T = 2_000_000_000_000;
const RETRY = T + 10_000;

/** A call whose outbox holds entries with these leases. */
const stale = (store: CallStore, callId: string, ...leases: number[]) =>
  put(store, withEntries(blankRecord(callId), ...leases.map((lease, i) => entry(callId, `${callId}-e${i}`, i + 1, lease))));

const sorted = (ids: string[]): string[] => [...ids].sort();

/** The index of calls with entries, as `claimStaleOutboxes` sweeps it. */
export function staleOutboxCases(h: CallStoreHarness): ConformanceCase[] {
  const when = 'claimStaleOutboxes, when the store has it';
  return [
    conformanceCase(h, `${when}: returns a call only once the latest lease of its entries ended, and never a call without entries`, async (scope) => {
      const store = await scope.store();
      if (!has(store, 'claimStaleOutboxes')) return;
      await stale(store, 'call', T - 500, T);
      await put(store, blankRecord('quiet'));
      assert.deepEqual(await store.claimStaleOutboxes(T - 1, RETRY, 10), [], 'one lease runs until T');
      assert.deepEqual(await store.claimStaleOutboxes(T, RETRY, 10), ['call']);
    }),

    conformanceCase(h, `${when}: a later write with a later lease postpones a call; one with an earlier lease never brings it forward`, async (scope) => {
      const store = await scope.store();
      if (!has(store, 'claimStaleOutboxes')) return;
      await stale(store, 'later', T);
      await stale(store, 'later', T + 50);
      await stale(store, 'earlier', T);
      await stale(store, 'earlier', T - 50);
      assert.deepEqual(await store.claimStaleOutboxes(T - 1, RETRY, 10), []);
      assert.deepEqual(await store.claimStaleOutboxes(T, RETRY, 10), ['earlier']);
      assert.deepEqual(await store.claimStaleOutboxes(T + 50, RETRY, 10), ['later']);
    }),

    conformanceCase(h, `${when}: of two concurrent claimers through two peers, each call goes to one`, async (scope) => {
      const store = await scope.store();
      const peer = await scope.peer(store);
      if (!has(store, 'claimStaleOutboxes') || !has(peer, 'claimStaleOutboxes')) return;
      const calls = Array.from({ length: 30 }, (_, i) => `call-${i}`);
      for (const callId of calls) await stale(store, callId, T);
      const [a, b] = await Promise.all([store.claimStaleOutboxes(T, RETRY, 100), peer.claimStaleOutboxes(T, RETRY, 100)]);
      assert.deepEqual(sorted([...a, ...b]), sorted(calls), 'every stale call claimed, none twice');
    }),

    conformanceCase(h, `${when}: returns at most limit calls, the rest at the next claims`, async (scope) => {
      const store = await scope.store();
      if (!has(store, 'claimStaleOutboxes')) return;
      for (const callId of ['a', 'b', 'c', 'd', 'e']) await stale(store, callId, T);
      const batches = [await store.claimStaleOutboxes(T, RETRY, 2), await store.claimStaleOutboxes(T, RETRY, 2), await store.claimStaleOutboxes(T, RETRY, 2)];
      assert.deepEqual(batches.map((b) => b.length), [2, 2, 1]);
      assert.deepEqual(sorted(batches.flat()), ['a', 'b', 'c', 'd', 'e']);
    }),

    conformanceCase(h, `${when}: a claimed call is not returned again before retryAt, and is after it while entries remain`, async (scope) => {
      const store = await scope.store();
      if (!has(store, 'claimStaleOutboxes')) return;
      await stale(store, 'call', T);
      assert.deepEqual(await store.claimStaleOutboxes(T, RETRY, 10), ['call']);
      assert.deepEqual(await store.claimStaleOutboxes(RETRY - 1, RETRY + 10_000, 10), []);
      assert.deepEqual(await store.claimStaleOutboxes(RETRY, RETRY + 10_000, 10), ['call']);
    }),

    conformanceCase(h, `${when}, with markEmitted: a call whose entries were all marked emitted is never returned again`, async (scope) => {
      const store = await scope.store();
      if (!has(store, 'claimStaleOutboxes', 'markEmitted')) return;
      await stale(store, 'claimed', T);
      await stale(store, 'partly', T);
      assert.deepEqual(sorted(await store.claimStaleOutboxes(T, RETRY, 10)), ['claimed', 'partly']);
      await stale(store, 'unclaimed', T);
      for (const callId of ['claimed', 'unclaimed']) await store.markEmitted(callId, [`${callId}-e0`]);
      await store.markEmitted('partly', ['unknown']);
      assert.deepEqual(await store.claimStaleOutboxes(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 10), ['partly']);
    }),

    conformanceCase(h, `${when}, with markEmitted: markEmitted(callId, []) drops a call the sweep finds with no entry`, async (scope) => {
      const store = await scope.store();
      if (!has(store, 'claimStaleOutboxes', 'markEmitted')) return;
      await stale(store, 'call', T);
      await put(store, blankRecord('call')); // emptied by a write, as a store without markEmitted would
      await store.claimStaleOutboxes(T, RETRY, 10); // the sweep may or may not find it
      await store.markEmitted('call', []);
      assert.deepEqual(await store.claimStaleOutboxes(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 10), []);
    }),
  ];
}
