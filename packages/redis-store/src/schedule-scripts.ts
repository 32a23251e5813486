import { Script } from './scripts.js';

// Scripts on one shard (KEYS[1]) of a sorted set of members by due time. Scores go in as the
// strings `score()` makes and are compared as numbers.

/** Sets ARGV[1] due at ARGV[2] unless it is due at a later or equal time already (ZADD GT, which needs Redis 6.2). */
export const SCHEDULE_LATER = new Script(`
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) >= tonumber(ARGV[2]) then return 0 end
return redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
`);

/** Removes ARGV[1] only while it is due at ARGV[2] exactly (not moved by a claim or a schedule since). */
export const CANCEL_IF_AT = new Script(`
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) == tonumber(ARGV[2]) then return redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0
`);

/** Removes ARGV[1] only while it is due no later than ARGV[2]: a writer that raised it since keeps it. */
export const REMOVE_IF_AT_MOST = new Script(`
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) <= tonumber(ARGV[2]) then return redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0
`);

/** If ARGV[1] is due by ARGV[2], moves it to ARGV[3]: 1 claimed, 0 not. */
export const CLAIM_ONE = new Script(`
local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
if s and tonumber(s) <= tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  return 1
end
return 0
`);

/**
 * Takes up to ARGV[3] members due by ARGV[1] off the shard's front and moves each to ARGV[2], in
 * one step (read first, so that a retryAt ≤ now cannot hand one out twice). Returns them with
 * the scores they had, as a flat member/score list.
 */
export const CLAIM_DUE = new Script(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[3]))
for i = 1, #due, 2 do redis.call('ZADD', KEYS[1], ARGV[2], due[i]) end
return due
`);
