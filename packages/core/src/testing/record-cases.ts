import assert from 'node:assert/strict';
import { conformanceCase, type CallStoreHarness, type ConformanceCase } from './harness.js';
import { fullRecord } from './full-record.js';
import { blankRecord, increment, put } from './records.js';

/** Ids that a store must keep apart: escapes and what they escape, hash tags, separators, other scripts. */
export const AWKWARD_IDS = [
  'a',
  '{a}',
  '%7Ba%7D',
  '{a}b',
  'a:b',
  'a%3Ab',
  'a%003ab',
  'a b',
  'a%0020b',
  ' a',
  'a\nb',
  'émile',
  'e\u0301mile',
  '通话',
  '😀',
  '%',
  '%%',
] as const;

/** What records and ids read back as. */
export function recordCases(h: CallStoreHarness): ConformanceCase[] {
  return [
    conformanceCase(h, 'updateCall and getCall: call ids with {, }, %, :, spaces and non-ASCII are kept apart and read back', async (scope) => {
      const store = await scope.store();
      const peer = await scope.peer(store);
      const records = AWKWARD_IDS.map((callId, i) => ({ ...blankRecord(callId), rosterSequence: i }));
      for (const record of records) await put(store, record);
      for (const record of records) assert.deepEqual(await peer.getCall(record.callId), record, `call ${JSON.stringify(record.callId)}`);
      await store.updateCall('{a}', increment('{a}'));
      assert.equal((await store.getCall('a'))?.rosterSequence, 0, 'an update of {a} leaves a alone');
      assert.equal((await store.getCall('{a}'))?.rosterSequence, 2);
    }),

    conformanceCase(h, 'reserveClientContext: clientContexts with {, }, %, :, spaces and non-ASCII are kept apart', async (scope) => {
      const store = await scope.store();
      for (const context of AWKWARD_IDS) assert.equal(await store.reserveClientContext(context, 'call', 60_000), true, `first claim of ${JSON.stringify(context)}`);
      for (const context of AWKWARD_IDS) assert.equal(await store.reserveClientContext(context, 'call', 60_000), false, `second claim of ${JSON.stringify(context)}`);
      await store.releaseClientContext('{a}');
      assert.equal(await store.reserveClientContext('a', 'call', 60_000), false, 'releasing {a} leaves a claimed');
      assert.equal(await store.reserveClientContext('{a}', 'call', 60_000), true);
    }),

    conformanceCase(h, 'updateCall and getCall: a record with every field, the outbox included, reads back equal, to the next step and to a peer', async (scope) => {
      const store = await scope.store();
      const peer = await scope.peer(store);
      const record = fullRecord('full');
      await put(store, record);
      assert.deepEqual(await store.getCall('full'), record);
      assert.deepEqual(await peer.getCall('full'), record);
      let seen: unknown;
      await peer.updateCall('full', (r) => ((seen = r), { record: undefined, effects: [], value: undefined }));
      assert.deepEqual(seen, record);
    }),
  ];
}
