import assert from 'node:assert/strict';
import type { CallStore } from '../store/call-store.js';
import { conformanceCase, type CallStoreHarness, type ConformanceCase } from './harness.js';

/** Optional methods that only work together: the bot uses each group whole or not at all. */
const GROUPS: ReadonlyArray<ReadonlyArray<keyof CallStore>> = [
  ['scheduleDeadline', 'cancelDeadline', 'claimDeadline', 'claimDueDeadlines'],
  ['publishOutcome', 'subscribeOutcomes'],
];

/** Which optional parts a store has. */
export function optionalGroupCases(h: CallStoreHarness): ConformanceCase[] {
  return [
    conformanceCase(h, 'optional methods: a store has each group whole or not at all (deadlines; publishOutcome with subscribeOutcomes; claimStaleOutboxes with markEmitted)', async (scope) => {
      const store = await scope.store();
      const present = (m: keyof CallStore): boolean => typeof store[m] === 'function';
      for (const group of GROUPS) {
        const have = group.filter(present);
        assert.ok(have.length === 0 || have.length === group.length, `has ${have.join(', ')} but not ${group.filter((m) => !present(m)).join(', ')}`);
      }
      // Without markEmitted, nothing ever takes a call out of the stale-outbox index.
      if (present('claimStaleOutboxes')) assert.ok(present('markEmitted'), 'has claimStaleOutboxes but not markEmitted');
    }),
  ];
}
