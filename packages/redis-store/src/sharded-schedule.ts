import type { DeadlineMode } from '@graph-comms/core';
import type { RedisClient } from './client.js';
import { SHARDS, shardOf } from './keys.js';
import { CANCEL_IF_AT, CLAIM_DUE, CLAIM_ONE, REMOVE_IF_AT_MOST, SCHEDULE_LATER } from './schedule-scripts.js';
import { byScore, claimLimit, mergeClaims, score, type Claimed } from './schedule-values.js';

/**
 * Members (call ids, deadline keys) by due time, in sorted sets spread over `SHARDS` keys so
 * that a Cluster shares them among its masters. A member lives in the shard its name hashes to;
 * every step on one member is one command on its shard, and claims ask every shard at once.
 */
export class ShardedSchedule {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (shard: number) => string,
  ) {}

  /** The shard key holding `member`. */
  key(member: string): string {
    return this.keyOf(shardOf(member));
  }

  async schedule(member: string, dueAt: number, mode: DeadlineMode = 'set'): Promise<void> {
    const key = this.key(member);
    const at = score(dueAt, 'dueAt');
    if (mode === 'set') await this.redis.zadd(key, at, member);
    else if (mode === 'ifAbsent') await this.redis.zadd(key, 'NX', at, member);
    else if (mode === 'ifLater') await SCHEDULE_LATER.run(this.redis, [key], [member, at]);
    else throw new TypeError(`unknown deadline mode ${JSON.stringify(mode)}: expected 'set', 'ifAbsent' or 'ifLater'`);
  }

  async cancel(member: string, dueAt?: number): Promise<void> {
    if (dueAt === undefined) await this.redis.zrem(this.key(member), member);
    else await CANCEL_IF_AT.run(this.redis, [this.key(member)], [member, score(dueAt, 'dueAt')]);
  }

  /** Removes `member` while it is due no later than `bound`. */
  async removeIfAtMost(member: string, bound: number): Promise<void> {
    await REMOVE_IF_AT_MOST.run(this.redis, [this.key(member)], [member, score(bound, 'bound')]);
  }

  async claim(member: string, now: number, retryAt: number): Promise<boolean> {
    return (await CLAIM_ONE.run(this.redis, [this.key(member)], [member, score(now, 'now'), score(retryAt, 'retryAt')])) === 1;
  }

  /**
   * Up to `limit` members due by `now`, earliest first, each moved to `retryAt`. A read of every
   * shard's front finds the `limit` earliest of all; then each shard claims, in one atomic step,
   * at most as many as it holds of them, due no later than the last of them, so that a claim
   * never takes more than `limit` and never has to give any back. When a concurrent claimer took
   * some first, it reads again for the rest (a few rounds at most), so that claimers racing for a
   * backlog share all of it between them. A shard that fails (its node away) leaves its members
   * for the next claim, and the others' claims stand: only when every shard fails does it reject.
   */
  async claimDue(now: number, retryAt: number, limit: number): Promise<string[]> {
    const due = score(now, 'now');
    const until = score(retryAt, 'retryAt');
    const taken = new Map<string, Claimed>();
    // Claimed members stay due when retryAt is not later than now: one round then, or they would be taken again.
    const rounds = retryAt > now ? MAX_ROUNDS : 1;
    for (let round = 0, n = claimLimit(limit); round < rounds && taken.size < n; round++) {
      const plan = (await this.#front(due, n - taken.size)).filter((c) => !taken.has(c.member)).slice(0, n - taken.size);
      if (plan.length === 0) break;
      const last = plan.at(-1)!.score;
      const counts = new Map<number, number>();
      for (const c of plan) counts.set(c.shard, (counts.get(c.shard) ?? 0) + 1);
      const claims = await settled([...counts].map(([shard, k]) => CLAIM_DUE.run(this.redis, [this.keyOf(shard)], [last, until, k])));
      const got = mergeClaims([...counts.keys()].map((shard, i) => ({ shard, reply: claims[i] })));
      for (const c of got) taken.set(c.member, c);
      // Nobody came first (every member due was in the plan), or a shard is away: no use reading again.
      if (got.length >= plan.length || claims.includes(undefined)) break;
    }
    return [...taken.values()].sort(byScore).map((c) => c.member);
  }

  /** The first `n` members due by `due` of every shard, merged earliest first. */
  async #front(due: string, n: number): Promise<Claimed[]> {
    const keys = Array.from({ length: SHARDS }, (_, shard) => this.keyOf(shard));
    const fronts = await settled(keys.map((key) => this.redis.zrangebyscore(key, '-inf', due, 'WITHSCORES', 'LIMIT', 0, n)));
    return mergeClaims(fronts.map((reply, shard) => ({ shard, reply })));
  }
}

const MAX_ROUNDS = 8;

/** The replies of commands sent at once, undefined for those that failed; rejects only when all failed. */
async function settled(commands: Array<Promise<unknown>>): Promise<unknown[]> {
  const replies = await Promise.allSettled(commands);
  const failed = replies.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed && replies.every((r) => r.status === 'rejected')) throw failed.reason;
  return replies.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
}

