import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { CallingBot, MemoryCallStore, type CallRecord, type CallStore, type Step } from '@graph-comms/core';
import { withOutbox, type OutboxWriter } from '../src/state/outbox.js';
import { emptyCallRecord } from '../src/state/call-record.js';
import { emit } from '../src/state/effects.js';
import { FakeGraph } from '../../../test/helpers/fake-graph.js';
import { seed } from '../../../test/helpers/fixtures.js';
import { callNotification, sleep, waitFor } from './helpers/calls.js';
import { recordEvents } from '../../../test/helpers/recorder.js';

const CALL = 'ab6233a5-20b7-4c5e-bea2-ce56c9776429';
let ids = 0;
const writer = (owner: string, leaseMs = 1000): OutboxWriter => ({ owner, leaseMs, newId: () => `e${++ids}` });
const told = emit('callUpdated', { callId: CALL, state: 'established', call: { id: CALL } });
const step = (record: CallRecord | undefined, effects = [told]): Step<void> => ({ record, effects, value: undefined });

describe('withOutbox (pure)', () => {
  it('puts the effects of a step that writes into the outbox, leased to the writer', () => {
    const before = emptyCallRecord(CALL, 0);
    const next = { ...before, updatedAt: 5 };
    const out = withOutbox(before, step(next), 100, writer('a'));
    expect(out.record!.outbox).toEqual([{ id: expect.any(String), seq: 100, owner: 'a', leaseUntil: 1100, effects: [told] }]);
    expect(out.emitting).toEqual(out.record!.outbox);
    expect(out.direct).toEqual([]);
  });

  it('keeps nothing of a step that writes nothing: its effects are acted on at once', () => {
    const before = emptyCallRecord(CALL, 0);
    const out = withOutbox(before, step(before), 100, writer('a'));
    expect(out.record).toBe(before);
    expect(out.emitting).toEqual([]);
    expect(out.direct).toEqual([told]);
  });

  it('leaves a record without effects as the step made it', () => {
    const next = emptyCallRecord(CALL, 1);
    const out = withOutbox(undefined, step(next, []), 100, writer('a'));
    expect(out.record).toBe(next);
    expect(next.outbox).toBeUndefined();
  });

  it('takes over entries whose lease ended, keeps the others, and orders new entries after all', () => {
    const mine = { id: 'old', seq: 7, owner: 'dead', leaseUntil: 50, effects: [told] };
    const theirs = { id: 'live', seq: 9, owner: 'alive', leaseUntil: 500, effects: [told] };
    const before = { ...emptyCallRecord(CALL, 0), outbox: [mine, theirs] };
    const out = withOutbox(before, step({ ...before, updatedAt: 3 }), 100, writer('b'));
    const outbox = out.record!.outbox!;
    expect(outbox.map((e) => [e.id, e.owner, e.leaseUntil])).toEqual([
      ['old', 'b', 1100],
      ['live', 'alive', 500],
      [expect.any(String), 'b', 1100],
    ]);
    expect(outbox[2]!.seq).toBeGreaterThan(9);
    expect(out.emitting.map((e) => e.id)).toEqual(['old', outbox[2]!.id]);
  });

  it('writes a repeat that finds a stale entry, so that the take-over is recorded before it emits', () => {
    const before = { ...emptyCallRecord(CALL, 0), outbox: [{ id: 'old', seq: 1, owner: 'dead', leaseUntil: 50, effects: [told] }] };
    const out = withOutbox(before, step(before), 100, writer('b'));
    expect(out.record).not.toBe(before);
    expect(before.outbox[0]!.owner).toBe('dead'); // the stored record is not touched
    expect(out.record!.outbox![0]).toMatchObject({ id: 'old', owner: 'b' });
    expect(out.emitting.map((e) => e.id)).toEqual(['old']);
    expect(out.direct).toEqual([told]);
  });

  it('leaves an entry alone while its lease runs', () => {
    const before = { ...emptyCallRecord(CALL, 0), outbox: [{ id: 'live', seq: 1, owner: 'a', leaseUntil: 500, effects: [told] }] };
    const out = withOutbox(before, step(before, []), 100, writer('b'));
    expect(out.record).toBe(before);
    expect(out.emitting).toEqual([]);
  });
});

/** A bot's view of a shared store that can make the bot "die" right after a write lands. */
class DyingStore implements CallStore {
  dieAfterNextWrite = false;
  died = false;
  constructor(readonly inner: CallStore) {}
  async updateCall<T>(callId: string, s: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
    if (this.died) return new Promise(() => undefined);
    const committed = await this.inner.updateCall(callId, s);
    if (this.dieAfterNextWrite && committed.record) {
      this.died = true;
      return new Promise(() => undefined); // written, and this process never goes on
    }
    return committed;
  }
  getCall = (callId: string) => this.inner.getCall(callId);
  reserveClientContext = (c: string, callId: string, ttl: number) => this.inner.reserveClientContext(c, callId, ttl);
  releaseClientContext = (c: string, callId?: string) => this.inner.releaseClientContext(c, callId);
  markEmitted = (callId: string, entryIds: readonly string[]) => (this.died ? Promise.reject(new Error('dead')) : this.inner.markEmitted!(callId, entryIds));
  claimStaleOutboxes = (now: number, retryAt: number, limit: number) => (this.died ? Promise.reject(new Error('dead')) : this.inner.claimStaleOutboxes!(now, retryAt, limit));
  scheduleDeadline = (key: string, dueAt: number, mode?: 'set' | 'ifAbsent' | 'ifLater') => this.inner.scheduleDeadline!(key, dueAt, mode);
  cancelDeadline = (key: string, dueAt?: number) => this.inner.cancelDeadline!(key, dueAt);
  claimDeadline = (key: string, now: number, retryAt: number) => this.inner.claimDeadline!(key, now, retryAt);
  claimDueDeadlines = (now: number, retryAt: number, limit: number) => (this.died ? Promise.reject(new Error('dead')) : this.inner.claimDueDeadlines!(now, retryAt, limit));
  async close(): Promise<void> {}
}

/**
 * Several bots on one memory store, as if it were another process (Redis): they keep an outbox
 * in it, and closing one bot must not empty the store of the others.
 */
class SharedStore extends MemoryCallStore {
  override readonly outlivesProcess = true;
  override async close(): Promise<void> {}
}

let graph: FakeGraph;
beforeAll(async () => {
  graph = await FakeGraph.start();
  graph.script = () => ({ status: 200, body: seed('ex1-invite-one', 'response') });
});
afterAll(() => graph.close());

describe('the outbox across bots sharing a store', () => {
  const options = { appId: 'app', tokenVerifier: false as const, logger: false as const, outboxLeaseMs: 200, deadlinePollMs: 20 };

  it('keeps no outbox for a store in this process, and still gives each event an id', async () => {
    const store = new MemoryCallStore();
    const bot = new CallingBot({ ...options, store });
    const rec = recordEvents(bot);
    const written: Array<CallRecord | undefined> = [];
    const update = store.updateCall.bind(store);
    store.updateCall = (callId, s) => update(callId, (record) => {
      const result = s(record);
      written.push(result.record);
      return result;
    });
    await bot.processNotifications(seed('ex1-invite-one', 'notification-roster'));
    expect(rec.of('rosterUpdated')[0]!.eventId).toMatch(/^.+:0$/);
    expect(written.every((record) => record?.outbox === undefined)).toBe(true);
    await bot.close();
  });

  it('leaves nothing in the outbox once the events are out, and gives each event an id', async () => {
    const store = new SharedStore();
    const bot = new CallingBot({ ...options, store, graphClient: graph.client() });
    const rec = recordEvents(bot);
    await bot.processNotifications(seed('ex1-invite-one', 'notification-roster'));
    expect(rec.names()).toEqual(['rosterUpdated']);
    expect(rec.of('rosterUpdated')[0]!.eventId).toMatch(/^.+:0$/);
    await waitFor(() => store.size === 1, 5000, 'marked emitted');
    expect((await store.getCall(CALL))!.outbox ?? []).toEqual([]);
    await bot.close();
  });

  it('emits what a bot that died after its write committed, once, with the same event ids, from another bot', async () => {
    const inner = new SharedStore();
    const dying = new DyingStore(inner);
    const sender = new CallingBot({ ...options, store: inner, graphClient: graph.client() });
    const a = new CallingBot({ ...options, store: dying });
    const b = new CallingBot({ ...options, store: inner });
    const [recA, recB, recSender] = [recordEvents(a), recordEvents(b), recordEvents(sender)];
    const request = seed('ex1-invite-one', 'request');
    delete request.participants[0].replacesCallId;
    const invitation = await sender.invite(CALL, request);

    dying.dieAfterNextWrite = true;
    void a.processNotifications(seed('ex1-invite-one', 'notification-operation')); // never answers
    await waitFor(() => dying.died, 5000, 'A wrote');
    const written = (await inner.getCall(CALL))!.outbox!;
    expect(written).toHaveLength(1);
    // Graph's redelivery lands on B while A's lease still runs: a repeat, nothing to emit yet.
    await b.processNotifications(seed('ex1-invite-one', 'notification-operation'));
    await waitFor(() => recB.of('operationCompleted').length > 0 || recSender.of('operationCompleted').length > 0, 5000, 'B emitted A’s events');
    await expect(invitation.completion).resolves.toMatchObject({ status: 'completed' });
    await sleep(300); // a second lease: nothing more comes

    const completed = [...recB.of('operationCompleted'), ...recSender.of('operationCompleted')];
    expect(completed).toHaveLength(1);
    expect(completed[0]!.eventId).toBe(`${written[0]!.id}:${written[0]!.effects.findIndex((e) => e.type === 'operationFinished')}`);
    expect(recA.events).toHaveLength(0);
    expect((await inner.getCall(CALL))!.outbox ?? []).toEqual([]);
    void a.close(); // dead: its commit never returns, and close() waits for it only so long
    await Promise.all([b.close(), sender.close()]);
  });

  it('emits again, with the same event id, what could not be marked emitted (at least once), and reports the failure', async () => {
    const inner = new SharedStore();
    const flaky = new (class extends DyingStore {
      override markEmitted = (): Promise<void> => Promise.reject(new Error('the store blinked'));
      override claimStaleOutboxes = async (): Promise<string[]> => []; // B sweeps, not A
    })(inner);
    const a = new CallingBot({ ...options, store: flaky });
    const b = new CallingBot({ ...options, store: inner });
    const [recA, recB] = [recordEvents(a), recordEvents(b)];
    await a.processNotifications(seed('ex1-invite-one', 'notification-roster'));
    await waitFor(() => recB.of('rosterUpdated').length > 0, 5000, 'B emitted it again');
    expect(recB.of('rosterUpdated').map((e) => e.eventId)).toEqual(recA.of('rosterUpdated').map((e) => e.eventId));
    expect(recA.errors.map((e) => e.source)).toEqual(['store']);
    await sleep(50);
    expect((await inner.getCall(CALL))!.outbox ?? []).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });

  it('fires the timeout of an operation whose sender is gone, in another bot', async () => {
    const store = new SharedStore();
    const sender = new CallingBot({ ...options, store, graphClient: graph.client(), operationTimeoutMs: 100 });
    const other = new CallingBot({ ...options, store });
    const rec = recordEvents(other);
    const request = seed('ex1-invite-one', 'request');
    delete request.participants[0].replacesCallId;
    await sender.invite(CALL, request);
    await sender.close(); // its timers go with it; the deadline stays in the store
    await waitFor(() => rec.of('operationFailed').length > 0, 5000, 'timed out elsewhere');
    expect(rec.of('operationFailed')).toEqual([expect.objectContaining({ reason: 'timedOut', kind: 'invite', eventId: expect.any(String) })]);
    await other.close();
  });

  it('lets a commit under way finish before close() resolves: its events go out once, here, and nothing is left to emit again', async () => {
    const inner = new SharedStore();
    const slow = new (class extends DyingStore {
      override async updateCall<T>(callId: string, s: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
        const committed = await this.inner.updateCall(callId, s);
        await sleep(50); // the store's answer is on its way
        return committed;
      }
    })(inner);
    const a = new CallingBot({ ...options, store: slow, keepAliveIntervalMs: false });
    const b = new CallingBot({ ...options, store: inner, keepAliveIntervalMs: false });
    const [recA, recB] = [recordEvents(a), recordEvents(b)];
    const answered = a.processNotifications(callNotification(CALL, 'updated', 'established'));
    await sleep(10); // written, not yet answered
    await a.close();
    await expect(answered).resolves.toBeUndefined();
    expect(recA.names()).toEqual(['callUpdated', 'callEstablished']);
    await sleep(400); // two leases
    expect(recB.events).toHaveLength(0);
    expect((await inner.getCall(CALL))!.outbox ?? []).toEqual([]);
    await b.close();
  });

  it('never takes over its own entries while it still emits them, however long that takes', async () => {
    // Emitting an operation's outcome waits on the store (its clientContext freed, its outcome
    // published): here longer than the lease, while the bot's own sweep runs every 20 ms.
    const inner = new (class extends SharedStore {
      override async publishOutcome(...args: Parameters<MemoryCallStore['publishOutcome']>): Promise<void> {
        await sleep(500);
        return super.publishOutcome(...args);
      }
    })();
    const bot = new CallingBot({ ...options, store: inner, graphClient: graph.client(), keepAliveIntervalMs: false });
    const rec = recordEvents(bot);
    const request = seed('ex1-invite-one', 'request');
    delete request.participants[0].replacesCallId;
    const invitation = await bot.invite(CALL, request);
    await bot.processNotifications(seed('ex1-invite-one', 'notification-operation'));
    await expect(invitation.completion).resolves.toMatchObject({ status: 'completed' });
    await sleep(700); // past the slow emission and a lease
    expect(rec.of('operationCompleted')).toHaveLength(1);
    await bot.close();
  });

  it('takes the committed run for what to emit, whatever object the store resolves with', async () => {
    const inner = new SharedStore();
    const copying = new (class extends DyingStore {
      override async updateCall<T>(callId: string, s: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
        const committed = await this.inner.updateCall(callId, s);
        return { record: committed.record, effects: committed.effects, value: committed.value }; // a copy
      }
    })(inner);
    const bot = new CallingBot({ ...options, store: copying, keepAliveIntervalMs: false });
    const rec = recordEvents(bot);
    await bot.processNotifications(callNotification(CALL, 'updated', 'established'));
    await sleep(400); // two leases and many sweeps
    expect(rec.names()).toEqual(['callUpdated', 'callEstablished']);
    expect((await inner.getCall(CALL))!.outbox ?? []).toEqual([]);
    await bot.close();
  });

  it('closes within closeTimeoutMs even when a commit never returns', async () => {
    const dying = new DyingStore(new SharedStore());
    dying.dieAfterNextWrite = true;
    const bot = new CallingBot({ ...options, store: dying, keepAliveIntervalMs: false, closeTimeoutMs: 100 });
    void bot.processNotifications(callNotification(CALL, 'updated', 'established'));
    await waitFor(() => dying.died, 5000, 'written');
    let closed = false;
    void bot.close().then(() => (closed = true));
    await waitFor(() => closed, 2000, 'closed');
  });
});
