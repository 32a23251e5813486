/**
 * `@graph-comms/core/testing`: the conformance suite every `CallStore` should pass,
 * independent of any test runner (see docs/writing-a-store.md).
 * @module @graph-comms/core/testing
 */
import { atomicCases } from './atomic-cases.js';
import { clientContextCases } from './client-context-cases.js';
import { deadlineCases } from './deadline-cases.js';
import type { CallStoreHarness, ConformanceCase } from './harness.js';
import { optionalGroupCases } from './optional-group-cases.js';
import { outageCases } from './outage-cases.js';
import { outboxCases } from './outbox-cases.js';
import { outcomeCases } from './outcome-cases.js';
import { recordCases } from './record-cases.js';
import { retryCases } from './retry-cases.js';
import { staleOutboxCases } from './stale-outbox-cases.js';
import { ttlCases } from './ttl-cases.js';

export type { CallStoreHarness, ConformanceCase, HarnessStoreOptions } from './harness.js';

/**
 * The cases a `CallStore` must pass, each with its own fresh stores from `harness`. Run
 * them with any runner: `for (const c of callStoreConformance(harness)) it(c.name, c.run)`.
 * Cases for optional methods say so in their name and check nothing when the store lacks them.
 */
export function callStoreConformance(harness: CallStoreHarness): ConformanceCase[] {
  return [
    ...atomicCases(harness),
    ...recordCases(harness),
    ...retryCases(harness),
    ...clientContextCases(harness),
    ...optionalGroupCases(harness),
    ...outboxCases(harness),
    ...staleOutboxCases(harness),
    ...deadlineCases(harness),
    ...outcomeCases(harness),
    ...ttlCases(harness),
    ...outageCases(harness),
  ];
}
