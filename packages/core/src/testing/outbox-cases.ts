import assert from 'node:assert/strict';
import type { CallRecord } from '../state/call-record.js';
import { conformanceCase, type CallStoreHarness, type ConformanceCase } from './harness.js';
import { fullRecord } from './full-record.js';
import { has } from './optional.js';
import { blankRecord, countOf, entry, entryIds, increment, put, withEntries, withoutOutbox } from './records.js';

const LEASE = Date.now() + 3_600_000;

/** A step appending one entry to the call's outbox, as the engine does for a step with effects. */
const appendEntry = (callId: string, id: string) => (r: CallRecord | undefined) => {
  const base = r ?? blankRecord(callId);
  const seq = Math.max(0, ...(base.outbox ?? []).map((e) => e.seq)) + 1;
  return { record: { ...base, outbox: [...(base.outbox ?? []), entry(callId, id, seq, LEASE)] }, effects: [], value: undefined };
};

/** The outbox kept with the record, and `markEmitted`. */
export function outboxCases(h: CallStoreHarness): ConformanceCase[] {
  return [
    conformanceCase(h, 'updateCall: outbox entries read back in seq order, as successive steps appended them', async (scope) => {
      const store = await scope.store();
      const peer = await scope.peer(store);
      for (const [i, id] of ['e1', 'e2', 'e3', 'e4'].entries()) await (i % 2 ? peer : store).updateCall('call', appendEntry('call', id));
      const outbox = (await peer.getCall('call'))?.outbox ?? [];
      assert.deepEqual(outbox.map((e) => e.id), ['e1', 'e2', 'e3', 'e4']);
      assert.deepEqual(outbox.map((e) => e.seq), [1, 2, 3, 4]);
    }),

    conformanceCase(h, 'markEmitted, when the store has it: removes exactly the ids given, ignores unknown ones, leaves the rest of the record unchanged', async (scope) => {
      const store = await scope.store();
      if (!has(store, 'markEmitted')) return;
      const record = withEntries(fullRecord('call'), entry('call', 'e1', 1, LEASE), entry('call', 'e2', 2, LEASE), entry('call', 'e3', 3, LEASE));
      await put(store, record);
      await store.markEmitted('call', ['e2', 'unknown']);
      const after = await store.getCall('call');
      assert.deepEqual(after?.outbox, [record.outbox![0], record.outbox![2]]);
      assert.deepEqual(withoutOutbox(after), withoutOutbox(record));
      await store.markEmitted('call', []);
      await store.markEmitted('call', ['unknown']);
      assert.deepEqual(await store.getCall('call'), after, 'no id, or only unknown ones: nothing changes');
      await store.markEmitted('call', ['e1', 'e3']);
      const emptied = await store.getCall('call');
      assert.deepEqual(entryIds(emptied), []);
      assert.deepEqual(withoutOutbox(emptied), withoutOutbox(record), 'emptied, the rest is as it was');
    }),

    conformanceCase(h, 'markEmitted, when the store has it: of a call with no record, creates none', async (scope) => {
      const store = await scope.store();
      if (!has(store, 'markEmitted')) return;
      await store.markEmitted('absent', ['e1']);
      await store.markEmitted('absent', []);
      assert.equal(await store.getCall('absent'), undefined);
    }),

    conformanceCase(h, 'markEmitted, when the store has it: a peer sees the entries gone, and later steps see only those left, which stay removed', async (scope) => {
      const store = await scope.store();
      const peer = await scope.peer(store);
      if (!has(store, 'markEmitted')) return;
      await put(store, withEntries(blankRecord('call'), entry('call', 'e1', 1, LEASE), entry('call', 'e2', 2, LEASE)));
      await store.markEmitted('call', ['e1']);
      assert.deepEqual(entryIds(await peer.getCall('call')), ['e2']);
      let seen: string[] = [];
      await peer.updateCall('call', (r) => ((seen = entryIds(r)), appendEntry('call', 'e3')(r)));
      assert.deepEqual(seen, ['e2'], 'the next step sees only what was not marked');
      await store.updateCall('call', increment('call'));
      assert.deepEqual(entryIds(await store.getCall('call')), ['e2', 'e3']);
    }),

    conformanceCase(h, 'markEmitted, when the store has it: racing updates through two peers, it loses no write and removed entries never come back', async (scope) => {
      const store = await scope.store();
      const peer = await scope.peer(store);
      if (!has(store, 'markEmitted') || !has(peer, 'markEmitted')) return;
      const ids = Array.from({ length: 20 }, (_, i) => `e${i}`);
      await put(store, withEntries(blankRecord('call'), ...ids.map((id, i) => entry('call', id, i + 1, LEASE))));
      await Promise.all(
        ids.flatMap((id, i) => [(i % 2 ? store : peer).markEmitted('call', [id]), (i % 2 ? peer : store).updateCall('call', increment('call'))]),
      );
      const after = await store.getCall('call');
      assert.equal(countOf(after), ids.length, 'every update applied');
      assert.deepEqual(entryIds(after), [], 'every entry marked stays removed');
    }),
  ];
}
