import { describe, expect, it } from '@jest/globals';
import { RedisCallStore } from '@graph-comms/redis-store';
import { Redis } from 'ioredis';
import { CLAIM_DUE } from '../src/schedule-scripts.js';
import { serverPerFile } from './helpers/per-file.js';
import { sharded } from './helpers/stored.js';
import { wrap } from './helpers/wrapped-client.js';

const T = 2_000_000_000_000;
const file = serverPerFile();

let opened = 0;
const open = (): [RedisCallStore, string] => {
  const keyPrefix = `deadlines-${++opened}:`;
  const store = new RedisCallStore({ url: file.server.url, keyPrefix, logger: false });
  file.closers.push(() => store.close());
  return [store, keyPrefix];
};

describe('deadlines', () => {
  it('live in sorted sets sharded by key, {deadlines:0} to {deadlines:15}, and nowhere else', async () => {
    const [store, prefix] = open();
    const keys = Array.from({ length: 50 }, (_, i) => `ka\ncall-${i}`);
    for (const [i, key] of keys.entries()) await store.scheduleDeadline(key, T + i);
    expect(await sharded(file.raw, 'deadlines', prefix)).toEqual(new Map(keys.map((key, i) => [key, T + i])));
    const stored = await file.raw.keys(`${prefix}*`);
    expect(stored.every((key) => /^deadlines-\d+:\{deadlines:(\d|1[0-5])\}$/.test(key))).toBe(true);
    expect(stored.length).toBeGreaterThan(8); // spread, not piled on one key
    expect('scheduleKeepAlive' in store || 'cancelKeepAlive' in store || 'claimDueKeepAlives' in store).toBe(false);
  });

  it('refuses bad input with a TypeError and writes nothing', async () => {
    const [store, prefix] = open();
    await expect(store.scheduleDeadline('key', Number.NaN)).rejects.toBeInstanceOf(TypeError);
    await expect(store.scheduleDeadline('key', T, 'sometimes' as never)).rejects.toThrow(/unknown deadline mode/);
    await expect(store.scheduleDeadline(42 as unknown as string, T)).rejects.toBeInstanceOf(TypeError);
    await expect(store.cancelDeadline('key', Number.NaN)).rejects.toBeInstanceOf(TypeError);
    await expect(store.claimDeadline('key', T, Number.NaN)).rejects.toBeInstanceOf(TypeError);
    await expect(store.claimDueDeadlines(T, T + 1, Number.NaN)).rejects.toBeInstanceOf(TypeError);
    await expect(store.claimStaleOutboxes(Number.NaN, T, 10)).rejects.toBeInstanceOf(TypeError);
    expect(await file.raw.keys(`${prefix}*`)).toEqual([]);
  });

  it('takes infinite times and limits, and none for a limit of 0', async () => {
    const [store] = open();
    await store.scheduleDeadline('early', -Infinity);
    await store.scheduleDeadline('late', T);
    expect(await store.claimDueDeadlines(T, Infinity, 0)).toEqual([]);
    expect(await store.claimDueDeadlines(Infinity, Infinity, Infinity)).toEqual(['early', 'late']);
    expect(await store.claimDeadline('early', T, T)).toBe(false); // moved to +inf
  });

  it('hands each due deadline out once in a claim, even when retryAt is not later than now', async () => {
    const [store] = open();
    for (const key of ['a', 'b', 'c']) await store.scheduleDeadline(key, T);
    expect(await store.claimDueDeadlines(T, T - 5, 10)).toEqual(['a', 'b', 'c']);
    expect(await store.claimDueDeadlines(T, T + 5, 10)).toEqual(['a', 'b', 'c']); // due again, at T - 5
  });

  it('reads every shard and runs no script when nothing is due', async () => {
    const client = new Redis(file.server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const wrapped = wrap(client);
    const store = new RedisCallStore({ client: wrapped.client, keyPrefix: 'deadlines-cost:', logger: false });
    file.closers.push(() => client.disconnect(), () => store.close());
    await store.scheduleDeadline('later', T + 10);
    wrapped.sent.length = 0;
    expect(await store.claimDueDeadlines(T, T + 100, 10)).toEqual([]);
    expect(wrapped.sent).toEqual(Array.from({ length: 16 }, () => 'zrangebyscore'));
    wrapped.sent.length = 0;
    expect(await store.claimDueDeadlines(T + 10, T + 100, 10)).toEqual(['later']);
    expect(wrapped.sent.filter((s) => s.startsWith('evalsha'))).toEqual([`evalsha:${CLAIM_DUE.sha}`]); // only the shard that holds it
  });
});
