/** A member one shard's claim returned, with the score it had before. */
export interface Claimed {
  member: string;
  score: string;
  shard: number;
}

/**
 * A time as a Redis score. Refuses what is not a number (NaN would break every comparison);
 * infinities become Redis's own spelling.
 */
export function score(time: number, name: string): string {
  if (typeof time !== 'number' || Number.isNaN(time)) throw new TypeError(`${name} must be a number, got ${String(time)}`);
  if (time === Infinity) return '+inf';
  if (time === -Infinity) return '-inf';
  return String(time);
}

/** A claim's `limit` as a count for ZRANGEBYSCORE LIMIT: at most a billion, 0 for none. */
export function claimLimit(limit: number): number {
  if (typeof limit !== 'number' || Number.isNaN(limit)) throw new TypeError(`limit must be a number, got ${String(limit)}`);
  return limit <= 0 ? 0 : Math.floor(Math.min(limit, 1e9));
}

/** One shard's reply to a read or a claim: a flat member/score list, earliest first (anything else counts as none). */
export interface ShardReply {
  shard: number;
  reply: unknown;
}

/** Merges the replies of shards into one list, earliest first, ties by member as Redis orders them. */
export function mergeClaims(replies: ShardReply[]): Claimed[] {
  const all: Claimed[] = [];
  for (const { shard, reply } of replies) {
    if (!Array.isArray(reply)) continue;
    for (let j = 0; j + 1 < reply.length; j += 2) {
      const member: unknown = reply[j];
      const at: unknown = reply[j + 1];
      if (typeof member === 'string' && typeof at === 'string') all.push({ member, score: at, shard });
    }
  }
  return all.sort(byScore);
}

/** Earliest first, ties by member. */
export function byScore(a: Claimed, b: Claimed): number {
  return parseScore(a.score) - parseScore(b.score) || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0);
}

/** A score as Redis writes it (`inf`, `-inf` for the infinities). */
export function parseScore(text: string): number {
  if (text === 'inf' || text === '+inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

/** Refuses a deadline that is not a string key, a time that is not a number, or an unknown mode, before anything is sent. */
export function checkSchedule(key: string, dueAt: number, mode: string = 'set'): void {
  checkKey(key);
  score(dueAt, 'dueAt');
  if (mode !== 'set' && mode !== 'ifAbsent' && mode !== 'ifLater') throw new TypeError(`unknown deadline mode ${JSON.stringify(mode)}: expected 'set', 'ifAbsent' or 'ifLater'`);
}

/** Refuses claim times and limits that are not numbers, before anything is sent. */
export function checkClaim(now: number, retryAt: number, limit: number): void {
  score(now, 'now');
  score(retryAt, 'retryAt');
  claimLimit(limit);
}

/** Refuses a deadline key that is not a string. */
export function checkKey(key: string): void {
  if (typeof key !== 'string') throw new TypeError(`a deadline key must be a string, got ${typeof key}`);
}
