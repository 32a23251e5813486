import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Lua script, sent by its SHA-1 and in full only when Redis does not know it yet (after a restart). */
export class Script {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/** Reads a call: its version, its JSON record (false when absent) and Redis's clock in ms. */
export const READ_CALL = new Script(`
local t = redis.call('TIME')
local h = redis.call('HMGET', KEYS[1], 'v', 'r')
return { h[1], h[2], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) }
`);

/**
 * Writes a call only if its version is still the one read (ARGV[1], '' for none) and Redis's
 * clock has not passed ARGV[5]: a write that reaches Redis after its caller gave up (Redis
 * paused, network stalled) must not apply, or its step would be recorded without its events.
 * Returns 1 written, 0 another writer came first, -1 too late.
 */
export const WRITE_CALL = new Script(`
local t = redis.call('TIME')
if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[5]) then return -1 end
local v = redis.call('HGET', KEYS[1], 'v')
if (v or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'r', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`);

/** Deletes a clientContext claim only while it still names the call (ARGV[1]). */
export const RELEASE_CONTEXT = new Script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/** Takes up to ARGV[3] members due by ARGV[1] off the schedule's front and sets each one's next due time to ARGV[2], in one step. */
export const CLAIM_DUE = new Script(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(due) do redis.call('ZADD', KEYS[1], ARGV[2], id) end
return due
`);
