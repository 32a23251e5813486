import { describe, expect, it } from '@jest/globals';
import { StoreError, type CallRecord, type OutboxEntry, type Step } from '@graph-comms/core';
import { RedisCallStore } from '@graph-comms/redis-store';
import { KeyLayout } from '../src/keys.js';
import type { RedisCluster } from './helpers/cluster.js';
import { clusterPerFile } from './helpers/per-file.js';
import { record } from './helpers/records.js';
import { redisCli, until } from './helpers/redis-cli.js';

// One cluster for the file; each case SIGKILLs a node, and the cluster fails over within about
// two node timeouts (1 s each).
const file = clusterPerFile();

const open = (keyPrefix: string): RedisCallStore => {
  const store = new RedisCallStore({ cluster: { nodes: file.cluster.seeds }, keyPrefix, commandTimeoutMs: 300, logger: false });
  file.closers.push(() => store.close());
  return store;
};
const T = 2_000_000_000_000;

/** A step that counts itself (rosterSequence), names itself in `recent` and adds an outbox entry. */
const counted = (callId: string, tag: string) => (r: CallRecord | undefined): Step<number> => {
  const base = r ?? record(callId);
  const count = (base.rosterSequence ?? 0) + 1;
  const entry: OutboxEntry = { id: tag, seq: count, owner: 'p', leaseUntil: T, effects: [] };
  return { record: { ...base, rosterSequence: count, recent: [...base.recent, tag], outbox: [...(base.outbox ?? []), entry] }, effects: [], value: count };
};

describe('RedisCallStore on a Redis Cluster whose nodes fail', () => {
  it('moves the outcome subscription when its node is killed, tells of the gap, and hears outcomes again', async () => {
    const publisher = open('failover-sub:');
    const listener = open('failover-sub:');
    const heard: string[] = [];
    let gaps = 0;
    listener.subscribeOutcomes((_, clientContext) => heard.push(clientContext), () => (gaps += 1));
    await listener.reserveClientContext('subscribed', 'call', 60_000); // waits for the subscription
    await publisher.publishOutcome('call', 'before', { status: 'completed' });
    await until('the outcome published before is heard', async () => heard.includes('before'), 5000);
    const node = await file.cluster.subscribedOn('failover-sub:outcomes');
    expect(node).toBeDefined();
    await file.cluster.crash(node!);
    await until('the subscription came back on another node', async () => gaps > 0 && (await file.cluster.subscribedOn('failover-sub:outcomes')) !== undefined, 10_000);
    await until('an outcome can be published again', () => publisher.publishOutcome('call', 'after', { status: 'completed' }).then(() => true, () => false), 10_000);
    await until('the outcome published after is heard', async () => heard.includes('after'), 5000);
    expect(heard.filter((c) => c === 'before')).toEqual(['before']);
  }, 30_000);

  it('refuses the updates of a call while its master fails over, then applies each once, its outbox, index and deadline kept', async () => {
    const store = open('failover:');
    const keys = new KeyLayout('failover:');
    // A call on a master that still has a replica (the case before may have taken one).
    let callId = '';
    let holder: Awaited<ReturnType<RedisCluster['holderOf']>> | undefined;
    for (let i = 0; !holder; i++) {
      callId = `call-${i}`;
      holder = await file.cluster.holderOf(keys.call(callId)).catch(() => undefined);
    }
    for (let i = 0; i < 5; i++) await store.updateCall(callId, counted(callId, `before-${i}`));
    await store.scheduleDeadline(`ka\n${callId}`, T);
    await file.cluster.replicated(); // what was acknowledged is on the replica too

    await holder.master.crash();
    const during = await Promise.all([0, 1, 2].map((i) => store.updateCall(callId, counted(callId, `during-${i}`)).then(() => 'applied', (error: unknown) => error)));
    expect((await redisCli(holder.replica.port, 'ROLE')).split('\n')[0]).toBe('slave'); // so these were refused before the takeover
    expect(during.map((d) => d instanceof StoreError)).toEqual([true, true, true]);

    await file.cluster.tookOver(holder.replica, holder.slot);
    for (let i = 0; i < 5; i++) {
      await until(`update after-${i} applies`, () => store.updateCall(callId, counted(callId, `after-${i}`)).then(() => true, () => false), 10_000);
    }
    const after = await store.getCall(callId);
    const tags = [0, 1, 2, 3, 4].map((i) => `before-${i}`).concat([0, 1, 2, 3, 4].map((i) => `after-${i}`));
    expect(after?.recent).toEqual(tags);
    expect(after?.rosterSequence).toBe(10);
    expect(after?.outbox?.map((e) => e.id)).toEqual(tags);
    expect(await store.claimStaleOutboxes(T, T + 1, 100)).toContain(callId);
    expect(await store.claimDeadline(`ka\n${callId}`, T, T + 1)).toBe(true);
  }, 30_000);
});
