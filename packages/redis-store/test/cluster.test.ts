import { describe, expect, it } from '@jest/globals';
import type { CallRecord, OutboxEntry, Step } from '@graph-comms/core';
import { RedisCallStore, type RedisCallStoreOptions } from '@graph-comms/redis-store';
import { Cluster } from 'ioredis';
import { KeyLayout, SHARDS } from '../src/keys.js';
import { clusterPerFile } from './helpers/per-file.js';
import { record } from './helpers/records.js';
import { redisCli } from './helpers/redis-cli.js';
import { storedRecord } from './helpers/stored.js';

const file = clusterPerFile();

let opened = 0;
const open = (options: RedisCallStoreOptions = {}): RedisCallStore => {
  const store = new RedisCallStore({ cluster: { nodes: file.cluster.seeds }, keyPrefix: `cluster-${++opened}:`, logger: false, ...options });
  file.closers.push(() => store.close());
  return store;
};
const slotOf = async (key: string): Promise<number> => Number((await redisCli(file.cluster.seeds[0]!.port, 'CLUSTER', 'KEYSLOT', key)).trim());
const entry = (id: string, seq: number): OutboxEntry => ({ id, seq, owner: 'p', leaseUntil: 2_000_000_000_000, effects: [] });
const withEntry = (callId: string, e: OutboxEntry) => (r: CallRecord | undefined): Step<void> => ({ record: { ...(r ?? record(callId)), outbox: [...(r?.outbox ?? []), e] }, effects: [], value: undefined });

// Ids whose escapes put braces, an empty tag or a lone % in reach of Redis's hash-tag rule.
const IDS = ['{a}', '}{', 'a{b}c', '{}', '', '%', '{%}', 'x}', '通话 {1}'];

describe('RedisCallStore on a Redis Cluster', () => {
  it('keeps every key of a script in one slot: a call with its outbox, a claim, a deadline; ids with braces included', async () => {
    const store = open();
    const keys = new KeyLayout('cluster-keys:');
    for (const id of IDS) expect([id, await slotOf(keys.outbox(id))]).toEqual([id, await slotOf(keys.call(id))]);
    // Each of these would fail with CROSSSLOT if a script's keys were in two slots.
    for (const [i, id] of IDS.entries()) {
      await store.updateCall(id, withEntry(id, entry(`e${i}`, 1)));
      await store.updateCall(id, withEntry(id, entry(`f${i}`, 2)));
      await store.markEmitted(id, [`e${i}`]);
      expect((await store.getCall(id))?.outbox?.map((e) => e.id)).toEqual([`f${i}`]);
      expect(await store.reserveClientContext(id, id, 60_000)).toBe(true);
      await store.releaseClientContext(id, id);
      await store.scheduleDeadline(`ka\n${id}`, 1000 + i);
      await store.cancelDeadline(`ka\n${id}`, 1000 + i);
      await store.scheduleDeadline(`op\n${id}\nc:{x}`, 2000 + i, 'ifLater');
      expect(await store.claimDeadline(`op\n${id}\nc:{x}`, 2000 + i, 5000)).toBe(true);
    }
    expect((await store.claimDueDeadlines(5000, 9000, 100)).sort()).toEqual(IDS.map((id) => `op\n${id}\nc:{x}`).sort()); // all due at 5000
    expect((await store.claimStaleOutboxes(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 100)).sort()).toEqual([...IDS].sort());
  });

  it('spreads the deadlines and the stale-outbox index over every master', async () => {
    const keys = new KeyLayout('graph-comms:');
    for (const kind of ['deadlines', 'staleOutboxes'] as const) {
      const masters = new Set<number>();
      for (let shard = 0; shard < SHARDS; shard++) masters.add((await file.cluster.holderOf(keys[kind](shard))).master.port);
      expect([kind, masters.size]).toEqual([kind, 3]);
    }
  });

  it('sends a script in full to a node that does not know it (NOSCRIPT)', async () => {
    const store = open();
    await store.updateCall('scripted', withEntry('scripted', entry('e1', 1)));
    await Promise.all(file.cluster.seeds.map(({ port }) => redisCli(port, 'SCRIPT', 'FLUSH')));
    await store.updateCall('scripted', withEntry('scripted', entry('e2', 2)));
    await store.markEmitted('scripted', ['e1']);
    expect((await store.getCall('scripted'))?.outbox?.map((e) => e.id)).toEqual(['e2']);
  });

  it('takes an ioredis Cluster of the user’s as `client`, and leaves it open on close', async () => {
    const client = new Cluster(file.cluster.seeds, { enableOfflineQueue: false, retryDelayOnFailover: 0, redisOptions: { maxRetriesPerRequest: 0 } });
    file.closers.push(() => client.disconnect());
    const store = new RedisCallStore({ client, keyPrefix: 'own-client:', logger: false });
    const heard: string[] = [];
    store.subscribeOutcomes((callId) => heard.push(callId));
    await store.updateCall('mine', withEntry('mine', entry('e1', 1)));
    expect((await storedRecord(client, 'mine', 'own-client:'))?.outbox).toEqual([entry('e1', 1)]);
    await store.reserveClientContext('ctx', 'mine', 1000); // waits for the subscription
    await store.publishOutcome('mine', 'ctx', { status: 'completed' });
    for (let i = 0; i < 100 && heard.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heard).toEqual(['mine']);
    await store.close();
    expect(client.status).toBe('ready');
    expect(await client.hget(new KeyLayout('own-client:').call('mine'), 'v')).toEqual(expect.any(String));
  });

  it('refuses a cluster option that names no node, or a node without a host and port', () => {
    expect(() => new RedisCallStore({ logger: false, cluster: { nodes: [] } })).toThrow(/cluster.nodes/);
    expect(() => new RedisCallStore({ logger: false, cluster: { nodes: [{ host: '127.0.0.1', port: 0 }] } })).toThrow(/port/);
    expect(() => new RedisCallStore({ logger: false, cluster: {} as never })).toThrow(/cluster.nodes/);
    expect(() => new RedisCallStore({ logger: false, cluster: { nodes: file.cluster.seeds }, url: 'redis://127.0.0.1' })).toThrow(/either url, client or cluster/);
  });
});
