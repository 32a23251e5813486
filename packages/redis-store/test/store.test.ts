import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CallRecord, Step } from '@graph-comms/core';
import { RedisCallStore } from '@graph-comms/redis-store';
import { Redis } from 'ioredis';
import { buildPackages, ROOT } from './helpers/build.js';
import { record } from './helpers/records.js';
import { RedisServer } from './helpers/redis-server.js';

let server: RedisServer;
let raw: Redis;
const stores: RedisCallStore[] = [];
const clients: Redis[] = [];
const open = (options: ConstructorParameters<typeof RedisCallStore>[0] = {}): RedisCallStore => {
  const store = new RedisCallStore(options.client ? options : { url: server.url, ...options });
  stores.push(store);
  return store;
};
const connect = (): Redis => {
  const client = new Redis(server.url);
  clients.push(client);
  return client;
};

beforeAll(async () => {
  server = await RedisServer.start();
  raw = new Redis(server.url);
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  for (const client of [raw, ...clients]) client.disconnect();
  await server.kill();
});

/** A step that appends `tag` to `recent` and returns the new length: its place in commit order. */
const append = (callId: string, tag: string, runs?: { count: number }) => (current: CallRecord | undefined): Step<number> => {
  if (runs) runs.count++;
  const base = current ?? record(callId);
  const next = { ...base, recent: [...base.recent, tag], updatedAt: Date.now() };
  return { record: next, effects: [], value: next.recent.length };
};

describe('updateCall', () => {
  it('writes what the step returns and reads it back, in another store too', async () => {
    const a = open();
    const b = open();
    const step = await a.updateCall('call-1', append('call-1', 'x'));
    expect(step.value).toBe(1);
    expect(await b.getCall('call-1')).toEqual(step.record);
    expect(await b.getCall('nobody')).toBeUndefined();
  });

  it('writes nothing when the step returns no record, or the record it was given', async () => {
    const a = open();
    const seen: Array<CallRecord | undefined> = [];
    const none = await a.updateCall('call-none', (r) => (seen.push(r), { record: undefined, effects: [], value: 'none' }));
    expect(none.value).toBe('none');
    expect(await raw.exists('graph-comms:{call-none}:call')).toBe(0);
    await a.updateCall('call-same', append('call-same', 'x'));
    const before = await raw.hget('graph-comms:{call-same}:call', 'v');
    await a.updateCall('call-same', (r) => ({ record: r, effects: [], value: undefined }));
    expect(await raw.hget('graph-comms:{call-same}:call', 'v')).toBe(before);
    expect(seen).toEqual([undefined]);
  });

  it('loses no update when two processes (two connections) update one call concurrently', async () => {
    const a = open();
    const b = open();
    const runs = { count: 0 };
    const n = 100;
    const started = Date.now();
    const all = await Promise.all(Array.from({ length: 2 * n }, (_, i) => (i % 2 ? a : b).updateCall('hot', append('hot', `t${i}`, runs))));
    const elapsed = Date.now() - started;
    const stored = (await a.getCall('hot'))!;
    expect(stored.recent).toHaveLength(2 * n);
    expect(new Set(stored.recent).size).toBe(2 * n);
    // Each caller got the step that was committed: its value is its own place in commit order.
    expect(all.map((s) => s.value).sort((x, y) => x - y)).toEqual(Array.from({ length: 2 * n }, (_, i) => i + 1));
    for (const step of all) expect(stored.recent[step.value - 1]).toBe(step.record!.recent.at(-1));
    const retries = runs.count - 2 * n;
    process.stdout.write(`[redis-store] ${2 * n} concurrent updates of one call from two connections: ${retries} retries, ${elapsed} ms\n`);
    expect(retries).toBeGreaterThan(0); // the two connections did collide, and recovered
  });

  it('discards a run that lost to another writer: no trace of it, and the caller gets the run that was written', async () => {
    const client = connect();
    const a = open({ client });
    await a.updateCall('race', append('race', 'first'));
    let runs = 0;
    const committed = await a.updateCall('race', (current) => {
      runs++;
      if (runs === 1) {
        // Another writer commits between this run's read and its write (same socket, so it lands first).
        const intruder = { ...current!, recent: [...current!.recent, 'intruder'] };
        void client.hset('graph-comms:{race}:call', 'v', 'intruder-version', 'r', JSON.stringify(intruder));
      }
      const next = { ...current!, recent: [...current!.recent, `run${runs}`] };
      return { record: next, effects: [{ type: 'emit' as const, name: 'callTerminated' as const, payload: { callId: 'race' } }], value: runs };
    });
    expect(runs).toBe(2);
    expect(committed.value).toBe(2);
    expect(committed.record!.recent).toEqual(['first', 'intruder', 'run2']);
    expect((await a.getCall('race'))!.recent).toEqual(['first', 'intruder', 'run2']);
  });

  it('reads a record an earlier version wrote (keyed tables) in the current shape', async () => {
    const a = open();
    const old = readFileSync(join(ROOT, 'test/fixtures/records/table-shaped-record.json'), 'utf8');
    await raw.hset('graph-comms:{call-old}:call', 'v', 'old-version', 'r', old);
    const read = (await a.getCall('call-old'))!;
    expect(read.roster.map((e) => e.id ?? e.identity)).toEqual(['p-a', 'user:b']);
    expect(read.operations.map((o) => o.key)).toEqual(['c:ctx-old']);
    const committed = await a.updateCall('call-old', (record) => ({ record: record && { ...record, recent: ['seen'] }, effects: [], value: record!.removed }));
    expect(committed.value).toEqual([{ id: 'p-gone', seq: 5, at: 4102444800000 }]);
    expect(JSON.parse((await raw.hget('graph-comms:{call-old}:call', 'r'))!).roster).toHaveLength(2); // written back as arrays
  });

  it('refuses a key that holds something other than the call record, with a StoreError', async () => {
    const a = open();
    await raw.hset('graph-comms:{garbage}:call', 'v', '1', 'r', '{"callId":"someone-else"}');
    await raw.set('graph-comms:{wrongtype}:call', 'x');
    await expect(a.updateCall('garbage', append('garbage', 'x'))).rejects.toMatchObject({ name: 'StoreError', code: 'store_unavailable' });
    await expect(a.updateCall('wrongtype', append('wrongtype', 'x'))).rejects.toMatchObject({ name: 'StoreError' });
    await expect(a.getCall('garbage')).rejects.toMatchObject({ name: 'StoreError' });
  });
});

describe('TTLs', () => {
  it('keeps a call idleTimeoutMs after its last update, and an ended call retentionMs after it ended', async () => {
    const a = open({ retentionMs: 60_000, idleTimeoutMs: 3_600_000 });
    await a.updateCall('live', append('live', 'x'));
    const live = await raw.pttl('graph-comms:{live}:call');
    expect(live).toBeGreaterThan(3_600_000 - 2_000);
    expect(live).toBeLessThanOrEqual(3_600_000);

    await a.updateCall('ended', () => ({ record: record('ended', { endedAt: Date.now() }), effects: [], value: undefined }));
    const ended = await raw.pttl('graph-comms:{ended}:call');
    expect(ended).toBeGreaterThan(60_000 - 2_000);
    expect(ended).toBeLessThanOrEqual(60_000);

    // A late update of a call that ended 50 s ago does not give it another full retention.
    await a.updateCall('ended-earlier', () => ({ record: record('ended-earlier', { endedAt: Date.now() - 50_000 }), effects: [], value: undefined }));
    const earlier = await raw.pttl('graph-comms:{ended-earlier}:call');
    expect(earlier).toBeGreaterThan(10_000 - 2_000);
    expect(earlier).toBeLessThanOrEqual(10_000);
  });

  it('lets an ended call expire after the retention time', async () => {
    const a = open({ retentionMs: 150 });
    await a.updateCall('short', () => ({ record: record('short', { endedAt: Date.now() }), effects: [], value: undefined }));
    expect(await a.getCall('short')).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await a.getCall('short')).toBeUndefined();
  });
});

describe('clientContext claims', () => {
  it('reserves once across stores, releases, and lapses after its ttl', async () => {
    const a = open();
    const b = open();
    expect(await a.reserveClientContext('ctx-1', 'call-1', 60_000)).toBe(true);
    expect(await b.reserveClientContext('ctx-1', 'call-2', 60_000)).toBe(false);
    expect(await raw.get('graph-comms:{ctx-1}:ctx')).toBe('call-1');
    const ttl = await raw.pttl('graph-comms:{ctx-1}:ctx');
    expect(ttl).toBeGreaterThan(58_000);
    await b.releaseClientContext('ctx-1');
    expect(await b.reserveClientContext('ctx-1', 'call-2', 100)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await a.reserveClientContext('ctx-1', 'call-3', 60_000)).toBe(true);
  });

  it('releases with a call id only while the claim is still that call’s', async () => {
    const a = open();
    expect(await a.reserveClientContext('ctx-2', 'call-new', 60_000)).toBe(true);
    await a.releaseClientContext('ctx-2', 'call-old'); // a late release from an older operation
    expect(await raw.get('graph-comms:{ctx-2}:ctx')).toBe('call-new');
    await a.releaseClientContext('ctx-2', 'call-new');
    expect(await raw.exists('graph-comms:{ctx-2}:ctx')).toBe(0);
  });
});

describe('keys', () => {
  it('keeps odd ids inside their own keys, one key per id', async () => {
    const a = open({ keyPrefix: 'odd:' });
    const ids = ['a:b', '{x}', 'a}b{c', 'ünïcödé 🎉', 'a%003ab', '\uD800', '', ' ', 'x\ny', 'call:ctx:', '*?[]'];
    for (const id of ids) {
      await a.updateCall(id, append(id, id));
      expect(await a.reserveClientContext(id, id, 60_000)).toBe(true);
    }
    for (const id of ids) expect((await a.getCall(id))!.recent).toEqual([id]);
    const keys = await raw.keys('odd:*');
    expect(keys).toHaveLength(2 * ids.length);
    for (const key of keys) expect(key).toMatch(/^odd:\{[A-Za-z0-9._~@%-]+\}:(call|ctx)$/);
    expect(keys).toContain('odd:{a%003ab}:call');
    expect(keys).toContain('odd:{%007bx%007d}:call');
    expect(keys).toContain('odd:{%}:call'); // the empty id: a key with an empty {} would be hashed whole
  });

  it('keeps stores with different prefixes apart', async () => {
    const a = open({ keyPrefix: 'tenant-a:' });
    const b = open({ keyPrefix: 'tenant-b:' });
    await a.updateCall('shared-id', append('shared-id', 'a'));
    expect(await b.getCall('shared-id')).toBeUndefined();
  });
});

describe('outcome bus', () => {
  it('delivers a published outcome to every subscribed store, the publisher included', async () => {
    const a = open();
    const b = open({ client: connect() });
    const heard: string[] = [];
    a.subscribeOutcomes((callId, clientContext, outcome) => heard.push(`a ${callId} ${clientContext} ${outcome.status}`));
    b.subscribeOutcomes((callId, clientContext, outcome) => heard.push(`b ${callId} ${clientContext} ${outcome.status}`));
    await a.reserveClientContext('sub-ready', 'c', 1000); // waits for a's subscription
    await b.reserveClientContext('sub-ready-b', 'c', 1000);
    await b.publishOutcome('c1', 'ctx', { status: 'completed' });
    await raw.publish('graph-comms:outcomes', 'not json'); // ignored, does not break the bus
    await a.publishOutcome('c2', 'ctx', { status: 'failed', resultInfo: { code: 403 } });
    const until = Date.now() + 2000;
    while (heard.length < 4 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(heard.sort()).toEqual(['a c1 ctx completed', 'a c2 ctx failed', 'b c1 ctx completed', 'b c2 ctx failed']);
  });
});

describe('options', () => {
  it('refuses contradictory or meaningless options', () => {
    expect(() => new RedisCallStore({ logger: false, url: 'http://x', commandTimeoutMs: 10 })).toThrow(/redis:\/\//);
    expect(() => new RedisCallStore({ logger: false, url: 'redis://x', client: raw })).toThrow(/either/);
    expect(() => new RedisCallStore({ logger: false, client: raw, retentionMs: 0 })).toThrow(/retentionMs/);
    expect(() => new RedisCallStore({ logger: false, client: raw, idleTimeoutMs: Number.NaN })).toThrow(/idleTimeoutMs/);
  });
});

describe('close', () => {
  it('quits its own connections but not a client it was given', async () => {
    const client = connect();
    const store = open({ client, keyPrefix: 'closing:' });
    store.subscribeOutcomes(() => undefined);
    await store.reserveClientContext('close-1', 'c', 1000);
    expect(await raw.pubsub('NUMSUB', 'closing:outcomes')).toEqual(['closing:outcomes', 1]);
    await store.close();
    expect(client.status).toBe('ready');
    expect(await raw.pubsub('NUMSUB', 'closing:outcomes')).toEqual(['closing:outcomes', 0]); // its duplicate quit
    await expect(store.updateCall('c', append('c', 'x'))).rejects.toMatchObject({ name: 'StoreError' });
  });

  it('lets a process exit once closed: no timer or socket left open', async () => {
    buildPackages();
    const script = `
      import { RedisCallStore } from ${JSON.stringify(join(ROOT, 'packages/redis-store/dist/index.js'))};
      const store = new RedisCallStore({ logger: false, url: process.argv[1] });
      store.subscribeOutcomes(() => {});
      await store.reserveClientContext('exit', 'c', 60000);
      await store.updateCall('exit', () => ({ record: { callId: 'exit', roster: [], removed: [], operations: [], recent: [], updatedAt: 0 }, effects: [], value: 0 }));
      await store.publishOutcome('exit', 'exit', { status: 'completed' });
      await store.close();
      process.stdout.write('closed');`;
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, server.url], { timeout: 10_000 });
    expect(stdout).toBe('closed');
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 60_000);
});
