import assert from 'node:assert/strict';
import type { CallRecord } from '../state/call-record.js';
import type { Step } from '../state/effects.js';
import { conformanceCase, type CallStoreHarness, type ConformanceCase } from './harness.js';
import { blankRecord, countOf, increment, put } from './records.js';

/** A step appending `marker` to the call's `recent`, valued at the position it wrote it to; each run's value is kept. */
const appending = (callId: string, marker: string, runs: number[]) => (r: CallRecord | undefined): Step<number> => {
  const base = r ?? blankRecord(callId);
  const recent = [...base.recent, marker];
  runs.push(recent.length);
  return { record: { ...base, recent, updatedAt: Date.now() }, effects: [], value: recent.length };
};

/** Steps that run again because another writer came first. */
export function retryCases(h: CallStoreHarness): ConformanceCase[] {
  return [
    conformanceCase(h, 'updateCall: a step run again after another writer came first still commits once, and resolves with the committed run', async (scope) => {
      const store = await scope.store();
      const peer = await scope.peer(store);
      await put(store, blankRecord('call'));
      // The first run starts a write of the peer before it returns: whenever that write lands
      // before this one, this step must run again on the peer's record.
      let interfering: Promise<Step<number>> | undefined;
      const runs: number[] = [];
      const mine = await store.updateCall('call', (r) => {
        interfering ??= peer.updateCall('call', increment('call'));
        const step = increment('call')(r);
        runs.push(step.value);
        return step;
      });
      const theirs = await interfering!;
      assert.equal(countOf(await store.getCall('call')), 2, 'both writes applied, each once');
      assert.equal(mine.value, runs.at(-1), 'the update resolves with the result of its last run, the one committed');
      assert.deepEqual([mine.value, theirs.value].sort(), [1, 2]);
    }),

    conformanceCase(h, 'updateCall: of 40 writers racing through two peers, each commits exactly one run, and resolves with that run', async (scope) => {
      const store = await scope.store();
      const peer = await scope.peer(store);
      const writers = Array.from({ length: 40 }, (_, i) => ({ marker: `writer-${i}`, runs: [] as number[] }));
      const done = await Promise.all(writers.map((w, i) => (i % 2 ? peer : store).updateCall('call', appending('call', w.marker, w.runs))));
      const recent = (await store.getCall('call'))?.recent ?? [];
      assert.deepEqual([...recent].sort(), writers.map((w) => w.marker).sort(), 'each writer appears once: runs that lost left nothing');
      for (const [i, w] of writers.entries()) {
        assert.equal(recent[done[i]!.value - 1], w.marker, `${w.marker} resolved with the position its committed run wrote`);
        assert.equal(done[i]!.value, w.runs.at(-1), `${w.marker} resolved with its last run`);
      }
    }),
  ];
}
