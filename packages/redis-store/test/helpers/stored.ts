import type { CallRecord, OutboxEntry } from '@graph-comms/core';
import type { Cluster, Redis } from 'ioredis';
import { KeyLayout, SHARDS } from '../../src/keys.js';

// Reads what the store keeps, straight from Redis (not through the store under test).

/** A call's record with its outbox (from the outbox hash, by seq), as it is in Redis. */
export async function storedRecord(redis: Redis | Cluster, callId: string, prefix = 'graph-comms:'): Promise<CallRecord | undefined> {
  const keys = new KeyLayout(prefix);
  const [json, fields] = await Promise.all([redis.hget(keys.call(callId), 'r'), redis.hgetall(keys.outbox(callId))]);
  if (json === null) return undefined;
  const record = JSON.parse(json) as CallRecord;
  const outbox = Object.values(fields).map((entry) => JSON.parse(entry) as OutboxEntry).sort((a, b) => a.seq - b.seq);
  return outbox.length > 0 ? { ...record, outbox } : record;
}

/** Every member of one sharded sorted set (the deadlines, or the stale-outbox index) with its score. */
export async function sharded(redis: Redis | Cluster, kind: 'deadlines' | 'staleOutboxes', prefix = 'graph-comms:'): Promise<Map<string, number>> {
  const keys = new KeyLayout(prefix);
  const all = new Map<string, number>();
  for (let shard = 0; shard < SHARDS; shard++) {
    const flat = await redis.zrange(keys[kind](shard), 0, -1, 'WITHSCORES');
    for (let i = 0; i + 1 < flat.length; i += 2) all.set(flat[i]!, Number(flat[i + 1]));
  }
  return all;
}
