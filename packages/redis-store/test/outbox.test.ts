import { describe, expect, it } from '@jest/globals';
import type { CallRecord, OutboxEntry, Step } from '@graph-comms/core';
import { RedisCallStore } from '@graph-comms/redis-store';
import { Redis } from 'ioredis';
import { KeyLayout, shardOf } from '../src/keys.js';
import { MARK_EMITTED, READ_CALL, WRITE_CALL } from '../src/scripts.js';
import { REMOVE_IF_AT_MOST, SCHEDULE_LATER } from '../src/schedule-scripts.js';
import { serverPerFile } from './helpers/per-file.js';
import { record } from './helpers/records.js';
import { sharded } from './helpers/stored.js';
import { wrap, type Wrapped } from './helpers/wrapped-client.js';

const PREFIX = 'outbox:';
const keys = new KeyLayout(PREFIX);
const LEASE = Date.now() + 3_600_000;
const file = serverPerFile();

const open = (): RedisCallStore => {
  const store = new RedisCallStore({ url: file.server.url, keyPrefix: PREFIX, logger: false });
  file.closers.push(() => store.close());
  return store;
};
/** A store on a client that records (and can hold) what the store sends. */
const openWrapped = (): [RedisCallStore, Wrapped] => {
  const client = new Redis(file.server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  const wrapped = wrap(client);
  const store = new RedisCallStore({ client: wrapped.client, keyPrefix: PREFIX, logger: false });
  file.closers.push(() => client.disconnect(), () => store.close());
  return [store, wrapped];
};

const entry = (id: string, seq: number, leaseUntil = LEASE, owner = 'process-a'): OutboxEntry => ({ id, seq, owner, leaseUntil, effects: [{ type: 'emit', name: 'callTerminated', payload: { callId: 'x' } }] });
/** A step that adds one to the call's counter (rosterSequence) and applies `change` to its outbox. */
const step = (callId: string, change: (outbox: OutboxEntry[]) => OutboxEntry[], runs?: Array<string[]>) => (current: CallRecord | undefined): Step<number> => {
  const base = current ?? record(callId);
  runs?.push((base.outbox ?? []).map((e) => e.id));
  const count = (base.rosterSequence ?? 0) + 1;
  const outbox = change(base.outbox ?? []);
  return { record: { ...base, rosterSequence: count, outbox }, effects: [], value: count };
};
const ids = (r: CallRecord | undefined): string[] => (r?.outbox ?? []).map((e) => e.id);
const takeOver = (id: string) => (outbox: OutboxEntry[]) => outbox.map((e) => (e.id === id ? { ...e, owner: 'process-b', leaseUntil: LEASE + 1000 } : e));
const appended = (e: OutboxEntry) => (outbox: OutboxEntry[]) => [...outbox, e];
let n = 0;
const freshCall = (): string => `call-${++n}`;

describe('the outbox beside the record', () => {
  it('keeps entries as fields of the call’s outbox hash, not in the record JSON, with the record’s TTL', async () => {
    const store = open();
    const callId = freshCall();
    await store.updateCall(callId, step(callId, () => [entry('e2', 2), entry('e1', 1)]));
    const json = JSON.parse((await file.raw.hget(keys.call(callId), 'r'))!) as Record<string, unknown>;
    expect(json).not.toHaveProperty('outbox');
    const fields = await file.raw.hgetall(keys.outbox(callId));
    expect(Object.keys(fields).sort()).toEqual(['e1', 'e2']);
    expect(JSON.parse(fields.e1!)).toEqual(entry('e1', 1));
    expect(ids(await store.getCall(callId))).toEqual(['e1', 'e2']); // by seq
    const [recordTtl, outboxTtl] = await Promise.all([file.raw.pttl(keys.call(callId)), file.raw.pttl(keys.outbox(callId))]);
    expect(Math.abs(recordTtl - outboxTtl)).toBeLessThan(1000);
    expect(outboxTtl).toBeGreaterThan(0);
  });

  it('markEmitted removes entries without changing the record or its version; an emptied outbox has no key left', async () => {
    const store = open();
    const callId = freshCall();
    await store.updateCall(callId, step(callId, () => [entry('e1', 1), entry('e2', 2)]));
    const [version, json] = await file.raw.hmget(keys.call(callId), 'v', 'r');
    await store.markEmitted(callId, ['e1']);
    expect(await file.raw.hmget(keys.call(callId), 'v', 'r')).toEqual([version, json]);
    await store.markEmitted(callId, ['e2']);
    expect(await file.raw.exists(keys.outbox(callId))).toBe(0);
    expect((await store.getCall(callId))?.outbox).toBeUndefined();
  });

  it('rewrites only new and taken-over entries, and deletes those the step dropped', async () => {
    const [store, wrapped] = openWrapped();
    const callId = freshCall();
    await store.updateCall(callId, step(callId, () => [entry('kept', 1), entry('dropped', 2), entry('taken', 3)]));
    // Changed behind the store's back after its read: a rewrite of the kept entry would undo it.
    wrapped.hold = async (sha) => {
      if (sha === WRITE_CALL.sha) await file.raw.hset(keys.outbox(callId), 'kept', JSON.stringify({ ...entry('kept', 1), marker: 'not rewritten' }));
    };
    await store.updateCall(callId, step(callId, (outbox) => [...takeOver('taken')(outbox.filter((e) => e.id !== 'dropped')), entry('new', 4)]));
    const fields = await file.raw.hgetall(keys.outbox(callId));
    expect(Object.keys(fields).sort()).toEqual(['kept', 'new', 'taken']);
    expect(JSON.parse(fields.kept!)).toMatchObject({ marker: 'not rewritten' });
    expect(JSON.parse(fields.taken!)).toMatchObject({ owner: 'process-b' });
    expect(JSON.parse(fields.new!)).toEqual(entry('new', 4));
  });

  it('refuses a step whose outbox is malformed with a TypeError, and writes nothing', async () => {
    const store = open();
    const callId = freshCall();
    const bad: unknown[] = [[{ seq: 1 }], [entry('same', 1), entry('same', 2)], 'not an array'];
    for (const outbox of bad) {
      await expect(store.updateCall(callId, () => ({ record: { ...record(callId), outbox: outbox as OutboxEntry[] }, effects: [], value: undefined }))).rejects.toBeInstanceOf(TypeError);
    }
    expect(await store.getCall(callId)).toBeUndefined();
    await expect(store.markEmitted(callId, 'e1' as unknown as string[])).rejects.toBeInstanceOf(TypeError);
    await expect(store.markEmitted(callId, [1] as unknown as string[])).rejects.toBeInstanceOf(TypeError);
  });

  it('refuses an outbox field that is not an entry with a StoreError', async () => {
    const store = open();
    const callId = freshCall();
    await store.updateCall(callId, step(callId, () => [entry('e1', 1)]));
    await file.raw.hset(keys.outbox(callId), 'e2', '{"id":"someone else"}');
    await expect(store.getCall(callId)).rejects.toMatchObject({ name: 'StoreError' });
    await file.raw.hset(keys.outbox(callId), 'e2', 'not json');
    await expect(store.updateCall(callId, step(callId, (o) => o))).rejects.toMatchObject({ name: 'StoreError' });
  });
});

describe('markEmitted between another writer’s read and its write', () => {
  /** Runs `between` after the wrapped store's next update has read the call and before its write is sent. */
  function between(wrapped: Wrapped, between: () => Promise<void>): void {
    let done = false;
    wrapped.hold = async (sha) => {
      if (done || sha !== WRITE_CALL.sha) return;
      done = true;
      await between();
    };
  }

  it('an entry the writer took over and another process emitted meanwhile stays removed, and the writer’s step runs again', async () => {
    const [a, wrapped] = openWrapped();
    const peer = open();
    const callId = freshCall();
    await peer.updateCall(callId, step(callId, () => [entry('e1', 1), entry('e2', 2)]));
    between(wrapped, () => peer.markEmitted(callId, ['e1']));
    const runs: string[][] = [];
    const committed = await a.updateCall(callId, step(callId, (outbox) => appended(entry('e3', 3))(takeOver('e1')(outbox)), runs));
    expect(runs).toEqual([['e1', 'e2'], ['e2']]);
    expect(ids(committed.record)).toEqual(['e2', 'e3']);
    expect(ids(await peer.getCall(callId))).toEqual(['e2', 'e3']);
    expect((await peer.getCall(callId))?.rosterSequence).toBe(2);
  });

  it('with another writer’s update too, nothing it removed comes back and every update applies once', async () => {
    const [a, wrapped] = openWrapped();
    const peer = open();
    const callId = freshCall();
    await peer.updateCall(callId, step(callId, () => [entry('e1', 1), entry('e2', 2)]));
    between(wrapped, async () => {
      await peer.markEmitted(callId, ['e1', 'e2']);
      await peer.updateCall(callId, step(callId, (outbox) => outbox));
    });
    const runs: string[][] = [];
    await a.updateCall(callId, step(callId, (outbox) => appended(entry('e3', 3))(takeOver('e1')(outbox)), runs));
    expect(runs).toEqual([['e1', 'e2'], []]);
    const after = await peer.getCall(callId);
    expect(ids(after)).toEqual(['e3']);
    expect(after?.rosterSequence).toBe(3);
  });

  it('an entry the writer kept unchanged and another process emitted meanwhile stays removed, without a second run', async () => {
    const [a, wrapped] = openWrapped();
    const peer = open();
    const callId = freshCall();
    await peer.updateCall(callId, step(callId, () => [entry('e1', 1)]));
    between(wrapped, () => peer.markEmitted(callId, ['e1']));
    const runs: string[][] = [];
    await a.updateCall(callId, step(callId, appended(entry('e2', 2)), runs));
    expect(runs).toEqual([['e1']]);
    expect(ids(await peer.getCall(callId))).toEqual(['e2']);
  });
});

describe('the stale-outbox index', () => {
  it('is raised before the write is sent, in the same round trip, and only when an entry is written', async () => {
    const [store, wrapped] = openWrapped();
    const callId = freshCall();
    await store.updateCall(callId, step(callId, () => [entry('e1', 1, LEASE)]));
    expect(wrapped.sent).toEqual([`evalsha:${READ_CALL.sha}`, `evalsha:${SCHEDULE_LATER.sha}`, `evalsha:${WRITE_CALL.sha}`]);
    expect((await sharded(file.raw, 'staleOutboxes', PREFIX)).get(callId)).toBe(LEASE);
    wrapped.sent.length = 0;
    await store.updateCall(callId, step(callId, (outbox) => outbox)); // no entry written: no index command
    expect(wrapped.sent).toEqual([`evalsha:${READ_CALL.sha}`, `evalsha:${WRITE_CALL.sha}`]);
    expect(await file.raw.zscore(keys.staleOutboxes(shardOf(callId)), callId)).toBe(String(LEASE));
  });

  it('markEmitted sends one script while entries are left, and a conditional removal once none is', async () => {
    const [store, wrapped] = openWrapped();
    const callId = freshCall();
    await store.updateCall(callId, step(callId, () => [entry('e1', 1), entry('e2', 2)]));
    wrapped.sent.length = 0;
    await store.markEmitted(callId, ['e1']);
    expect(wrapped.sent).toEqual([`evalsha:${MARK_EMITTED.sha}`]);
    await store.markEmitted(callId, ['e2']);
    expect(wrapped.sent).toEqual([`evalsha:${MARK_EMITTED.sha}`, `evalsha:${MARK_EMITTED.sha}`, `evalsha:${REMOVE_IF_AT_MOST.sha}`]);
    expect((await sharded(file.raw, 'staleOutboxes', PREFIX)).has(callId)).toBe(false);
  });

  it('keeps a call that a writer gave a later entry while markEmitted emptied it', async () => {
    const [store, wrapped] = openWrapped();
    const peer = open();
    const callId = freshCall();
    await store.updateCall(callId, step(callId, () => [entry('e1', 1, LEASE)]));
    // The outbox is empty once the script ran; before the removal, another process adds e2.
    wrapped.hold = async (sha) => {
      if (sha === REMOVE_IF_AT_MOST.sha) await peer.updateCall(callId, step(callId, appended(entry('e2', 2, LEASE + 5000))));
    };
    await store.markEmitted(callId, ['e1']);
    expect((await sharded(file.raw, 'staleOutboxes', PREFIX)).get(callId)).toBe(LEASE + 5000);
    expect(await store.claimStaleOutboxes(LEASE + 5000, LEASE + 6000, 100)).toContain(callId);
  });
});
