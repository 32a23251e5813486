import assert from 'node:assert/strict';
import { conformanceCase, type CallStoreHarness, type ConformanceCase } from './harness.js';
import { eventually } from './wait.js';

const LONG = 60_000;

/** clientContext claims: one holder at a time, freed by its call, lapsing by themselves. */
export function clientContextCases(h: CallStoreHarness): ConformanceCase[] {
  return [
    conformanceCase(h, 'reserveClientContext: a clientContext is claimed once; a second claim is refused, whichever call or peer asks', async (scope) => {
      const store = await scope.store();
      const peer = await scope.peer(store);
      assert.equal(await store.reserveClientContext('ctx', 'call-1', LONG), true);
      assert.equal(await store.reserveClientContext('ctx', 'call-1', LONG), false);
      assert.equal(await store.reserveClientContext('ctx', 'call-2', LONG), false);
      assert.equal(await peer.reserveClientContext('ctx', 'call-2', LONG), false);
      assert.equal(await store.reserveClientContext('other', 'call-1', LONG), true, 'another clientContext is free');
    }),

    conformanceCase(h, 'reserveClientContext: of 20 concurrent claims of one clientContext through two peers, exactly one wins', async (scope) => {
      const store = await scope.store();
      const peer = await scope.peer(store);
      const won = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? peer : store).reserveClientContext('ctx', `call-${i}`, LONG)));
      assert.equal(won.filter(Boolean).length, 1);
    }),

    conformanceCase(h, 'releaseClientContext: frees a claim, with or without its call id, so that it can be claimed again', async (scope) => {
      const store = await scope.store();
      const peer = await scope.peer(store);
      await store.reserveClientContext('ctx', 'call-1', LONG);
      await peer.releaseClientContext('ctx', 'call-1');
      assert.equal(await store.reserveClientContext('ctx', 'call-2', LONG), true, 'released by its call');
      await store.releaseClientContext('ctx');
      assert.equal(await peer.reserveClientContext('ctx', 'call-3', LONG), true, 'released without a call id');
      await store.releaseClientContext('never-claimed');
      await store.releaseClientContext('never-claimed', 'call-1');
    }),

    conformanceCase(h, 'releaseClientContext: a release naming another call frees nothing', async (scope) => {
      const store = await scope.store();
      await store.reserveClientContext('ctx', 'call-1', LONG);
      await store.releaseClientContext('ctx', 'call-2');
      assert.equal(await store.reserveClientContext('ctx', 'call-2', LONG), false);
      await store.releaseClientContext('ctx', 'call-1');
      assert.equal(await store.reserveClientContext('ctx', 'call-2', LONG), true);
    }),

    conformanceCase(h, 'reserveClientContext: a claim never released lapses after its ttl, and one with a long ttl does not', async (scope) => {
      const store = await scope.store();
      assert.equal(await store.reserveClientContext('short', 'call-1', 100), true);
      assert.equal(await store.reserveClientContext('long', 'call-1', LONG), true);
      await eventually('a claim with a 100 ms ttl lapses', () => store.reserveClientContext('short', 'call-2', LONG));
      assert.equal(await store.reserveClientContext('long', 'call-2', LONG), false);
    }),
  ];
}
