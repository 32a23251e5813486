import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { CallingBot, MemoryCallStore, type OperationOutcome } from '@graph-comms/core';
import { FakeGraph } from '../../../test/helpers/fake-graph.js';
import { seed } from '../../../test/helpers/fixtures.js';
import { recordEvents } from '../../../test/helpers/recorder.js';
import { rebuiltInvitationWaitsForTheOutcome } from '../../../test/helpers/two-bots.js';

/** One store shared by two bots, with an outcome bus: what a Redis store gives several processes. */
class SharedStore extends MemoryCallStore {
  dropPublishes = false;
  readonly #listeners: Array<(callId: string, clientContext: string, outcome: OperationOutcome) => void> = [];
  published = 0;
  override async publishOutcome(callId: string, clientContext: string, outcome: OperationOutcome): Promise<void> {
    this.published++;
    if (this.dropPublishes) return;
    for (const listener of this.#listeners) listener(callId, clientContext, outcome);
  }
  override subscribeOutcomes(listener: (callId: string, clientContext: string, outcome: OperationOutcome) => void): void {
    this.#listeners.push(listener);
  }
  override async close(): Promise<void> {} // shared: the test closes nothing twice
}

let graph: FakeGraph;
beforeAll(async () => {
  graph = await FakeGraph.start();
  graph.script = () => ({ status: 200, body: seed('ex1-invite-one', 'response') });
});
afterAll(() => graph.close());

describe('two bots sharing a store', () => {
  it('resolves the completion in the sender when the callback lands on the other bot, and fires each event once', async () => {
    const store = new SharedStore();
    const sender = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store, graphClient: graph.client() });
    const receiver = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store });
    const sent = recordEvents(sender);
    const received = recordEvents(receiver);
    const request = seed('ex1-invite-one', 'request');
    delete request.participants[0].replacesCallId;
    const invitation = await sender.invite('ab6233a5-20b7-4c5e-bea2-ce56c9776429', request);

    await receiver.processNotifications(seed('ex1-invite-one', 'notification-roster'));
    await receiver.processNotifications(seed('ex1-invite-one', 'notification-operation'));
    await sender.processNotifications(seed('ex1-invite-one', 'notification-operation')); // a repeat landing on the sender

    await expect(invitation.completion).resolves.toMatchObject({ status: 'completed' });
    expect(store.published).toBe(1);
    expect(sent.events).toHaveLength(0);
    expect(received.names()).toEqual(['rosterUpdated', 'operationCompleted']);
    const [completed] = received.of('operationCompleted');
    // The receiver rebuilds the invitation from the shared record.
    expect(completed!.invitation).toMatchObject({ clientContext: invitation.clientContext, id: invitation.id, participants: request.participants });
    expect(received.of('rosterUpdated')[0]!.joined).toHaveLength(1);
    await sender.close();
    await receiver.close();
  });

  it('settles the sender from the shared record at the deadline when the outcome message was lost', async () => {
    const store = new SharedStore();
    store.dropPublishes = true;
    const sender = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store, graphClient: graph.client(), operationTimeoutMs: 150 });
    const receiver = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store });
    const sent = recordEvents(sender);
    const request = seed('ex1-invite-one', 'request');
    delete request.participants[0].replacesCallId;
    const invitation = await sender.invite('ab6233a5-20b7-4c5e-bea2-ce56c9776429', request);
    await receiver.processNotifications(seed('ex1-invite-one', 'notification-operation'));
    // Not timed out: the operation completed elsewhere, and the record says so.
    await expect(invitation.completion).resolves.toMatchObject({ status: 'completed' });
    expect(sent.of('operationFailed')).toHaveLength(0);
    await sender.close();
    await receiver.close();
  });

  it.each(['sender', 'other'] as const)('gives another bot a rebuilt invitation that resolves with the real outcome (outcome on the %s)', async (where) => {
    const store = new MemoryCallStore();
    await rebuiltInvitationWaitsForTheOutcome(graph, () => [store, store], where);
  });
});
