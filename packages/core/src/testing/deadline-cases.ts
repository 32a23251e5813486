import assert from 'node:assert/strict';
import { conformanceCase, type CallStoreHarness, type ConformanceCase, type Scope } from './harness.js';
import { has, type With } from './optional.js';

const T = 2_000_000_000_000;
const RETRY = T + 10_000;
const DEADLINES = ['scheduleDeadline', 'cancelDeadline', 'claimDeadline', 'claimDueDeadlines'] as const;
type Deadlines = With<(typeof DEADLINES)[number]>;

/** A fresh store with deadlines, and its peer; undefined when the store keeps none. */
async function open(scope: Scope): Promise<[Deadlines, Deadlines] | undefined> {
  const store = await scope.store();
  if (!has(store, ...DEADLINES)) return undefined;
  const peer = await scope.peer(store);
  return has(peer, ...DEADLINES) ? [store, peer] : undefined;
}

/** Whether `key` is set and due by `at` (claiming it, to a time far later). */
const dueBy = (store: Deadlines, key: string, at: number): Promise<boolean> => store.claimDeadline(key, at, Number.MAX_SAFE_INTEGER);

/** Named deadlines: scheduling modes, cancelling, claiming. */
export function deadlineCases(h: CallStoreHarness): ConformanceCase[] {
  const when = 'deadlines, when the store has them';
  const deadlineCase = (name: string, body: (store: Deadlines, peer: Deadlines) => Promise<void>): ConformanceCase =>
    conformanceCase(h, `${when}: ${name}`, async (scope) => {
      const stores = await open(scope);
      if (stores) await body(...stores);
    });
  return [
    deadlineCase('claimDueDeadlines returns those due by now, earliest first, at most limit, each once', async (store) => {
      for (const [key, at] of [['c', T + 3], ['a', T + 1], ['e', T + 5], ['later', T + 100], ['b', T + 2], ['d', T + 4]] as const) await store.scheduleDeadline(key, at);
      assert.deepEqual(await store.claimDueDeadlines(T + 5, RETRY, 3), ['a', 'b', 'c']);
      assert.deepEqual(await store.claimDueDeadlines(T + 5, RETRY, 3), ['d', 'e']);
      assert.deepEqual(await store.claimDueDeadlines(T + 5, RETRY, 3), []);
    }),

    deadlineCase("scheduleDeadline in mode 'set' (the default) sets or replaces, earlier or later", async (store) => {
      await store.scheduleDeadline('default', T);
      await store.scheduleDeadline('default', T + 10);
      await store.scheduleDeadline('set', T + 10, 'set');
      await store.scheduleDeadline('set', T, 'set');
      assert.equal(await dueBy(store, 'default', T + 9), false, 'moved later');
      assert.equal(await dueBy(store, 'default', T + 10), true);
      assert.equal(await dueBy(store, 'set', T), true, 'moved earlier');
    }),

    deadlineCase("scheduleDeadline in mode 'ifAbsent' sets an absent deadline and keeps one that is set", async (store) => {
      await store.scheduleDeadline('key', T + 10, 'ifAbsent');
      await store.scheduleDeadline('key', T, 'ifAbsent');
      await store.scheduleDeadline('key', T + 20, 'ifAbsent');
      assert.equal(await dueBy(store, 'key', T + 9), false);
      assert.equal(await dueBy(store, 'key', T + 10), true);
    }),

    deadlineCase("scheduleDeadline in mode 'ifLater' sets an absent deadline and moves one only later", async (store) => {
      await store.scheduleDeadline('key', T + 10, 'ifLater');
      await store.scheduleDeadline('key', T, 'ifLater');
      assert.equal(await dueBy(store, 'key', T + 9), false, 'not moved earlier');
      await store.scheduleDeadline('other', T, 'ifLater');
      await store.scheduleDeadline('other', T + 20, 'ifLater');
      assert.equal(await dueBy(store, 'other', T + 19), false, 'moved later');
      assert.equal(await dueBy(store, 'other', T + 20), true);
    }),

    deadlineCase('cancelDeadline removes a deadline; with dueAt, only while it is still due exactly then', async (store, peer) => {
      await store.scheduleDeadline('plain', T);
      await peer.cancelDeadline('plain');
      await store.scheduleDeadline('moved', T);
      await store.scheduleDeadline('moved', T + 5);
      await peer.cancelDeadline('moved', T); // it was moved since: kept
      await store.scheduleDeadline('exact', T);
      await peer.cancelDeadline('exact', T);
      await store.cancelDeadline('never-set');
      await store.cancelDeadline('never-set', T);
      assert.deepEqual(await store.claimDueDeadlines(T + 100, RETRY, 10), ['moved']);
    }),

    deadlineCase('claimDeadline claims one deadline only if due by now, moving it to retryAt', async (store, peer) => {
      await store.scheduleDeadline('key', T);
      assert.equal(await store.claimDeadline('key', T - 1, RETRY), false, 'not yet due');
      assert.equal(await peer.claimDeadline('key', T, RETRY), true);
      assert.equal(await store.claimDeadline('key', T, RETRY), false, 'moved to retryAt');
      assert.equal(await store.claimDeadline('key', RETRY, RETRY + 10), true, 'due again at retryAt');
      assert.equal(await store.claimDeadline('never-set', T, RETRY), false);
    }),

    deadlineCase('a deadline claimed by claimDueDeadlines comes due again at retryAt, unless cancelled', async (store, peer) => {
      await store.scheduleDeadline('kept', T);
      await store.scheduleDeadline('done', T);
      assert.deepEqual((await store.claimDueDeadlines(T, RETRY, 10)).sort(), ['done', 'kept']);
      await store.cancelDeadline('done', RETRY);
      assert.deepEqual(await peer.claimDueDeadlines(RETRY - 1, RETRY + 10, 10), [], 'not before retryAt');
      assert.deepEqual(await peer.claimDueDeadlines(RETRY, RETRY + 10, 10), ['kept']);
    }),

    deadlineCase('of concurrent claims through two peers, each due deadline goes to one claimer', async (store, peer) => {
      const keys = Array.from({ length: 50 }, (_, i) => `key-${String(i).padStart(2, '0')}`);
      for (const [i, key] of keys.entries()) await store.scheduleDeadline(key, T + i);
      const claims = await Promise.all([store, peer, store, peer].map((s) => s.claimDueDeadlines(T + 100, RETRY, 20)));
      for (const claim of claims) assert.deepEqual(claim, [...claim].sort(), 'each claim is earliest first');
      assert.deepEqual(claims.flat().sort(), keys, 'every due deadline claimed, none twice');
      const one = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? peer : store).claimDeadline('key-00', RETRY, RETRY + 10)));
      assert.equal(one.filter(Boolean).length, 1, 'one claimDeadline of a deadline wins');
    }),

    deadlineCase('keys are opaque: newlines, braces, %, : and non-ASCII are kept apart', async (store) => {
      const keys = ['op\ncall\nc:ctx', 'op\ncall\nc%3Actx', '{tag}op', '["ka","call",""]', 'tr\n通话\n😀', 'ka\n{call}'];
      for (const [i, key] of keys.entries()) await store.scheduleDeadline(key, T + i);
      await store.cancelDeadline('op\ncall\nc:ctx');
      assert.deepEqual(await store.claimDueDeadlines(T + 100, RETRY, 10), keys.slice(1));
    }),
  ];
}
