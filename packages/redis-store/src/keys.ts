/**
 * Escapes an id so that it stays inside its key whatever it contains: every UTF-16 code unit
 * outside a small safe set, `%` included, becomes `%` and four hex digits. The mapping is
 * one-to-one (so two ids never share a key), leaves GUIDs readable, works on lone surrogates
 * (where encodeURIComponent throws), and keeps `{`/`}` out of keys so that Redis Cluster
 * never reads part of an id as a hash tag.
 */
export function escapeId(id: string): string {
  return id.replace(/[^A-Za-z0-9._~@-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * How many keys the stale-outbox index and the deadlines are each spread over, so that a Cluster
 * shares them among its masters. Fixed, not an option: every process sharing the store must look
 * for a deadline in the same shard.
 */
export const SHARDS = 16;

/** The shard of a member (a call id, a deadline key): FNV-1a over its UTF-16 code units. */
export function shardOf(member: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < member.length; i++) hash = Math.imul(hash ^ member.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % SHARDS;
}

/** The hash tag of an id: its escape, or `%` (which no escape is) for the empty id, since Redis hashes a key with an empty `{}` whole. */
function tag(id: string): string {
  return `{${escapeId(id) || '%'}}`;
}

/**
 * Where the store keeps things under its prefix. Every key carries a hash tag, so that each
 * script touches one Cluster slot: a call's record and its outbox share the tag of the escaped
 * call id; a clientContext claim has the tag of its escaped clientContext; each shard has a tag
 * holding `:`, which no escaped id contains, so no call's tag is ever a shard's.
 */
export class KeyLayout {
  constructor(readonly prefix: string) {}

  /** A call's record: a hash with its version `v` and its JSON `r` (without the outbox). */
  call(callId: string): string {
    return `${this.prefix}${tag(callId)}:call`;
  }

  /** A call's outbox: a hash of entry id → the entry's JSON, beside the record, with the same TTL. */
  outbox(callId: string): string {
    return `${this.prefix}${tag(callId)}:outbox`;
  }

  /** The keys of a call: its record and its outbox, which every script on the call touches together. */
  ofCall(callId: string): { call: string; outbox: string } {
    return { call: this.call(callId), outbox: this.outbox(callId) };
  }

  /** A clientContext's claim: a string holding the call id, with a TTL. */
  clientContext(clientContext: string): string {
    return `${this.prefix}${tag(clientContext)}:ctx`;
  }

  /** One shard of the stale-outbox index: a sorted set of call ids by the latest lease of their entries. */
  staleOutboxes(shard: number): string {
    return `${this.prefix}{outboxes:${shard}}`;
  }

  /** One shard of the deadlines: a sorted set of deadline keys by when they are due. */
  deadlines(shard: number): string {
    return `${this.prefix}{deadlines:${shard}}`;
  }

  /** The pub/sub channel of operation outcomes (a channel, not a key: PUBLISH reaches every node of a Cluster). */
  get outcomes(): string {
    return `${this.prefix}outcomes`;
  }
}
