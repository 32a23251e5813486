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

/** Where the store keeps things under its prefix. */
export class KeyLayout {
  constructor(readonly prefix: string) {}

  /** A call's record: a hash with its version `v` and its JSON `r`. */
  call(callId: string): string {
    return `${this.prefix}call:${escapeId(callId)}`;
  }

  /** A clientContext's claim: a string holding the call id, with a TTL. */
  clientContext(clientContext: string): string {
    return `${this.prefix}ctx:${escapeId(clientContext)}`;
  }

  /** The keepAlive schedule: a sorted set of call ids by when their next keepAlive is due. */
  get keepAlives(): string {
    return `${this.prefix}keepalive`;
  }

  /** The pub/sub channel of operation outcomes. */
  get outcomes(): string {
    return `${this.prefix}outcomes`;
  }
}
