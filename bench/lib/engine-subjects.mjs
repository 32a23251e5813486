// The subjects of figure 4's children (engine.mjs): the bot, and the floor that it is set against.
import { CallingBot } from '@graph-comms/core';
import { APP_ID } from './fixtures.mjs';
import { fakeGraphClient } from './fake-graph.mjs';
import { EVENT_OF } from './kinds.mjs';
import { memoryStore } from './outbox-store.mjs';

/**
 * CallingBot.processNotifications on a MemoryCallStore with no byte budget and, with `bound`,
 * `maxCalls: calls`; with `outbox`, on the store that keeps one; with `kinds`, a Graph in this
 * process for the operations it sends. Counts into `counts` ({ changes, errors }).
 */
export function botSubject({ calls, bound, kinds, outbox }, counts) {
  const store = memoryStore(outbox, { maxBytes: Infinity, maxCalls: bound ? calls : Infinity });
  const bot = new CallingBot({ appId: APP_ID, tokenVerifier: false, store, ...(kinds ? { graphClient: fakeGraphClient().client } : {}) });
  // A change is the event each kind of delivery is meant to cause (a roster's, for the sizes).
  for (const event of Object.values(EVENT_OF)) bot.on(event, () => (counts.changes += 1));
  bot.on('operationFailed', () => (counts.errors += 1));
  bot.on('error', () => (counts.errors += 1));
  return { bot, process: (body) => bot.processNotifications(body), size: () => bot.store.size, close: () => bot.close() };
}

/**
 * The least any JavaScript roster keeper does: a Map of call id → participants, replaced on each
 * roster notification that is newer. Counts its changes into `counts`.
 */
export function floorSubject(counts) {
  const rosters = new Map();
  const apply = (body) => {
    const n = body.value[0];
    const callId = n.resourceUrl.split('/')[3];
    const known = rosters.get(callId);
    const p = n.resourceData[0];
    if (known && known.participants[0].rosterSequenceNumber >= p.rosterSequenceNumber) return Promise.resolve();
    rosters.set(callId, { callId, participants: [p], updatedAt: Date.now() });
    counts.changes += 1;
    return Promise.resolve();
  };
  return { process: apply, size: () => rosters.size, close: async () => rosters.clear() };
}
