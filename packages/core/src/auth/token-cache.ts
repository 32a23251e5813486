import { hash } from 'node:crypto';

/** Below this, a last segment is no RSA signature: the whole token is hashed. */
const MIN_SIGNATURE_LENGTH = 64;

/** The key a token is cached under (one-shot hash: half the cost of createHash on this hot path). */
function cacheKey(token: string): string {
  const dot = token.lastIndexOf('.');
  const signed = dot !== -1 && token.length - dot - 1 >= MIN_SIGNATURE_LENGTH;
  return hash('sha256', signed ? token.slice(dot + 1) : token, 'base64url');
}

/** Default bound of {@link VerifiedTokenCache}: far more live tokens than Graph uses, at a few KB of claims each. */
export const DEFAULT_CACHE_MAX_ENTRIES = 10_000;

interface Entry<T> {
  value: T;
  expiresAt: number;
  /** The `kid` of the key that verified it (`undefined`: the token named none). */
  keyId: string | undefined;
}

/**
 * Remembers the outcome of successful verifications, so that the same bearer token on many
 * callbacks costs one signature check. Least-recently-used entries go first when `maxEntries` is
 * reached; `maxEntries: 0` turns caching off.
 *
 * Entries are keyed by a SHA-256, never the token itself: a heap dump must not hand out replayable
 * credentials. For a JWS the hash is of its signature alone (a quarter of a Graph token): RS256
 * signs the header and payload deterministically, so a token with a cached signature is either
 * the one verified, or a forgery of its first two parts that gets the claims the verified token
 * carried and nothing else, which is what replaying that token would get. Each entry lives until
 * the instant `expiresAt` returns for it (the token's `exp`) and never longer, and only while the
 * key that verified it (`keyIdOf`) stays in the key set: {@link forgetKeys} drops what a removed
 * key verified. After that the token goes through full verification again, so a cache hit can
 * never accept what a fresh check would refuse. Failures are
 * not cached.
 */
export class VerifiedTokenCache<T> {
  // A Map iterates in insertion order: the first entry is the least recently used.
  private readonly entries = new Map<string, Entry<T>>();
  // Concurrent callbacks with the same new token share one verification.
  private readonly pending = new Map<string, Promise<T>>();
  // Starting a fresh iterator at every eviction would walk all the slots deletions left at the front
  // of the Map (V8 only compacts on rehash), O(n) per eviction. This one stays where it stopped:
  // everything before it was evicted through it, or deleted and re-inserted behind it.
  private cursor: Iterator<string> | undefined;
  // Bumped by forgetKeys: a verification that was running then must not store its outcome.
  private generation = 0;
  // The entry last moved to (or stored at) the end of the Map.
  private newest: Entry<T> | undefined;

  constructor(
    private readonly maxEntries: number,
    private readonly expiresAt: (value: T) => number,
    private readonly keyIdOf: (value: T) => string | undefined = () => undefined,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) throw new TypeError('cacheMaxEntries must be a non-negative integer');
  }

  /** Number of cached tokens (expired ones may linger until touched or evicted). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Returns the cached outcome for `token`, or runs `verify` and caches what it resolves. A hit is
   * returned as it is, not in a promise: the callback path awaits it once, not twice.
   */
  verify(token: string, verify: (token: string) => Promise<T>): T | Promise<T> {
    if (this.maxEntries === 0) return verify(token);
    const key = cacheKey(token);
    const hit = this.entries.get(key);
    if (hit) {
      if (Date.now() < hit.expiresAt) {
        // Graph sends one token on many callbacks in a row: it is the most recent already, and
        // moving it would leave a hole in the Map (and, every so often, a rehash) per callback.
        if (hit !== this.newest) {
          this.entries.delete(key);
          this.entries.set(key, hit); // now the most recently used
          this.newest = hit;
        }
        return hit.value;
      }
      this.entries.delete(key);
    }
    let running = this.pending.get(key);
    if (!running) {
      const generation = this.generation;
      const started: Promise<T> = verify(token)
        .then((value) => {
          if (generation === this.generation) this.store(key, value);
          return value;
        })
        .finally(() => {
          if (this.pending.get(key) === started) this.pending.delete(key);
        });
      running = started;
      this.pending.set(key, running);
    }
    return running;
  }

  /**
   * Drops every entry verified by one of `keyIds`, and every entry of a token that named no key (any
   * key may have verified it). Verifications running now neither store their outcome nor are joined
   * by later callers. O(entries), run only when a key set refresh removed keys.
   */
  forgetKeys(keyIds: ReadonlySet<string | undefined>): void {
    this.generation += 1;
    this.pending.clear();
    for (const [key, entry] of this.entries) {
      if (entry.keyId === undefined || keyIds.has(entry.keyId)) this.entries.delete(key);
    }
  }

  private store(key: string, value: T): void {
    const expiresAt = this.expiresAt(value);
    if (!(Date.now() < expiresAt)) return; // also refuses NaN: nothing cached without a known expiry
    this.entries.delete(key); // re-inserted at the end, as the most recently used
    const entry = { value, expiresAt, keyId: this.keyIdOf(value) };
    this.entries.set(key, entry);
    this.newest = entry;
    while (this.entries.size > this.maxEntries && this.evictOldest());
  }

  /** Deletes the least recently used entry; false if there was none. Amortized O(1). */
  private evictOldest(): boolean {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      this.cursor ??= this.entries.keys();
      const oldest = this.cursor.next();
      if (!oldest.done) {
        this.entries.delete(oldest.value);
        return true;
      }
      this.cursor = undefined; // an exhausted iterator stays exhausted: start again from the front
    }
    return false;
  }
}
