import assert from 'node:assert/strict';
import { StoreError } from '../errors.js';
import type { CallStore } from '../store/call-store.js';
import { conformanceCase, type CallStoreHarness, type ConformanceCase } from './harness.js';
import { blankRecord, countOf, increment, put } from './records.js';
import { eventually, within } from './wait.js';

const T = 2_000_000_000_000;

/** Every method that talks to the store (those the store has), each as one call that writes or reads something. */
function everyMethod(store: CallStore): Array<[string, () => Promise<unknown>]> {
  const calls: Array<[string, (() => Promise<unknown>) | undefined]> = [
    ['updateCall', () => store.updateCall('outage', increment('outage'))],
    ['updateCall of a new call', () => store.updateCall('new', increment('new'))],
    ['getCall', () => store.getCall('kept')],
    ['reserveClientContext', () => store.reserveClientContext('ctx', 'outage', 60_000)],
    ['releaseClientContext', () => store.releaseClientContext('held')],
    ['markEmitted', store.markEmitted && (() => store.markEmitted!('outage', ['e1']))],
    ['claimStaleOutboxes', store.claimStaleOutboxes && (() => store.claimStaleOutboxes!(T, T + 1, 10))],
    ['scheduleDeadline', store.scheduleDeadline && (() => store.scheduleDeadline!('new-deadline', T))],
    ['cancelDeadline', store.cancelDeadline && (() => store.cancelDeadline!('deadline'))],
    ['claimDeadline', store.claimDeadline && (() => store.claimDeadline!('deadline', T, T + 1))],
    ['claimDueDeadlines', store.claimDueDeadlines && (() => store.claimDueDeadlines!(T, T + 1, 10))],
    ['publishOutcome', store.publishOutcome && (() => store.publishOutcome!('outage', 'ctx', { status: 'completed' }))],
  ];
  return calls.filter((c): c is [string, () => Promise<unknown>] => c[1] !== undefined);
}

/** Waits until writes go through again after an outage. */
const writesWork = (store: CallStore): Promise<void> =>
  eventually('a write works after the outage', () => put(store, blankRecord('probe')).then(() => true, () => false));

/** A store that cannot be reached fails fast, applies nothing, and comes back; only for a harness with `outage`. */
export function outageCases(h: CallStoreHarness): ConformanceCase[] {
  if (!h.outage) return []; // known before any store is opened: no case that could not fail
  const outageCase = (name: string, body: Parameters<typeof conformanceCase>[2]): ConformanceCase => conformanceCase(h, `outage: ${name}`, body);
  return [
    outageCase('while the store is unreachable, every method rejects with StoreError, within a bound', async (scope) => {
      const store = await scope.store();
      await put(store, blankRecord('kept'));
      await scope.beginOutage();
      const failures = await Promise.all(
        everyMethod(store).map(([name, call]) => within(`${name} during an outage`, call().then(() => `${name} resolved`, (error: unknown) => (error instanceof StoreError ? undefined : `${name} rejected with ${String(error)}, not a StoreError`)))),
      );
      assert.deepEqual(failures.filter(Boolean), []);
    }),

    outageCase('nothing attempted while the store was unreachable appears after it', async (scope) => {
      const store = await scope.store();
      await put(store, blankRecord('outage'));
      await store.reserveClientContext('held', 'outage', 60_000);
      if (store.scheduleDeadline) await store.scheduleDeadline('deadline', T);
      await scope.beginOutage();
      await Promise.all(everyMethod(store).map(([name, call]) => within(`${name} during an outage`, call().catch(() => undefined))));
      await scope.endOutage();
      await writesWork(store);
      assert.equal(countOf(await store.getCall('outage')), 0, 'the update was not applied');
      assert.equal(await store.getCall('new'), undefined, 'the new call was not created');
      assert.equal(await store.reserveClientContext('ctx', 'other', 60_000), true, 'the claim was not made');
      assert.equal(await store.reserveClientContext('held', 'other', 60_000), false, 'the release was not applied');
      if (store.claimDueDeadlines) assert.deepEqual(await store.claimDueDeadlines(T, T + 1, 10), ['deadline'], 'no deadline scheduled, cancelled or claimed');
    }),

    outageCase('after the store is reachable again, writes and reads work', async (scope) => {
      const store = await scope.store();
      const peer = await scope.peer(store);
      await scope.beginOutage();
      await scope.endOutage();
      await writesWork(store);
      await store.updateCall('after', increment('after'));
      assert.equal(countOf(await peer.getCall('after')), 1);
      assert.equal(await peer.reserveClientContext('ctx', 'after', 60_000), true);
    }),
  ];
}
