import assert from 'node:assert/strict';
import type { OperationOutcome } from '../operations/operation.js';
import { conformanceCase, type CallStoreHarness, type ConformanceCase } from './harness.js';
import { has } from './optional.js';
import { eventually } from './wait.js';

type Heard = Array<[callId: string, clientContext: string, outcome: OperationOutcome]>;

const OUTCOME: OperationOutcome = {
  status: 'failed',
  operation: { '@odata.type': '#microsoft.graph.inviteParticipantsOperation', id: 'operation-1', status: 'failed', clientContext: 'ctx 通话' },
  resultInfo: { code: 403, subcode: 10151, message: 'DiagCode: 403#10151' },
};

/** Outcomes published by one process, heard by all. */
export function outcomeCases(h: CallStoreHarness): ConformanceCase[] {
  return [
    conformanceCase(h, 'publishOutcome, when the store has it: reaches every subscriber, the publisher’s own and the peer’s, once each', async (scope) => {
      const store = await scope.store();
      const peer = await scope.peer(store);
      if (!has(store, 'publishOutcome', 'subscribeOutcomes') || !has(peer, 'publishOutcome', 'subscribeOutcomes')) return;
      const heard: Heard[] = [[], [], []];
      store.subscribeOutcomes((...outcome) => heard[0]!.push(outcome));
      store.subscribeOutcomes((...outcome) => heard[1]!.push(outcome));
      peer.subscribeOutcomes((...outcome) => heard[2]!.push(outcome));
      // The bot claims a clientContext before it sends an operation: an outcome published after
      // that claim resolved must reach it, however long its subscription takes to set up.
      await store.reserveClientContext('ctx 通话', 'call-1', 60_000);
      await peer.reserveClientContext('other', 'call-1', 60_000);
      await peer.publishOutcome('call-1', 'ctx 通话', OUTCOME);
      await eventually('every subscriber hears the outcome', () => heard.every((h) => h.length > 0));
      // A second, different outcome: had the first come twice, it would be heard before this one.
      await store.publishOutcome('call-2', 'other', { status: 'timedOut' });
      await eventually('every subscriber hears the second outcome', () => heard.every((h) => h.length > 1));
      for (const h of heard) assert.deepEqual(h, [['call-1', 'ctx 通话', OUTCOME], ['call-2', 'other', { status: 'timedOut' }]]);
    }),
  ];
}
