import { createHash } from 'node:crypto';
import type { RedisClient } from './client.js';

/**
 * A Lua script, sent by its SHA-1 and in full only when Redis does not know it yet (after a
 * restart, or on a Cluster node that never ran it: EVALSHA and EVAL go to the node of the
 * script's keys, which must all share one slot).
 */
export class Script {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisClient, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/** Redis's clock in ms, in a script. */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** Reads a call (KEYS: record, outbox): its version, its JSON record (false when absent), Redis's clock in ms, and its outbox as a flat field/value list. */
export const READ_CALL = new Script(`${NOW}
local h = redis.call('HMGET', KEYS[1], 'v', 'r')
return { h[1], h[2], now, redis.call('HGETALL', KEYS[2]) }
`);

/**
 * Writes a call (KEYS: record, outbox) only if its version is still the one read (ARGV[1], ''
 * for none) and Redis's clock has not passed ARGV[5]: a write that reaches Redis after its caller
 * gave up (Redis paused, network stalled) must not apply, or its step would be recorded without
 * its events. ARGV[6] entries to add and ARGV[7] entries taken over follow as id/JSON pairs, then
 * the ids of entries to drop. A taken-over entry that is gone (emitted meanwhile) is never
 * written back: the step must run again without it. The outbox lives as long as the record.
 * Returns 1 written, 0 another writer came first, 2 a taken-over entry is gone, -1 too late.
 */
export const WRITE_CALL = new Script(`${NOW}
if now > tonumber(ARGV[5]) then return -1 end
if (redis.call('HGET', KEYS[1], 'v') or '') ~= ARGV[1] then return 0 end
local from = 8
local changed = from + 2 * tonumber(ARGV[6])
local dropped = changed + 2 * tonumber(ARGV[7])
for i = changed, dropped - 1, 2 do
  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 0 then return 2 end
end
if ARGV[1] == '' then redis.call('DEL', KEYS[2]) end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'r', ARGV[3])
for i = from, dropped - 1, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
for i = dropped, #ARGV do redis.call('HDEL', KEYS[2], ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1
`);

/**
 * Removes emitted entries (ARGV: ids) from a call's outbox (KEYS[1]) without touching the record
 * or its version. Returns how many entries are left and the latest lease among those removed
 * (a string, false when none had one).
 */
export const MARK_EMITTED = new Script(`
local latest = nil
for i = 1, #ARGV do
  local json = redis.call('HGET', KEYS[1], ARGV[i])
  if json then
    redis.call('HDEL', KEYS[1], ARGV[i])
    local ok, entry = pcall(cjson.decode, json)
    local lease = ok and type(entry) == 'table' and tonumber(entry.leaseUntil) or nil
    if lease and (latest == nil or lease > latest) then latest = lease end
  end
end
return { redis.call('HLEN', KEYS[1]), latest and string.format('%.17g', latest) or false }
`);

/** Deletes a clientContext claim only while it still names the call (ARGV[1]). */
export const RELEASE_CONTEXT = new Script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);
