import { hash } from 'node:crypto';

/** Default bound of {@link VerifiedTokenCache}: far more live tokens than Graph uses, at a few KB of claims each. */
export const DEFAULT_CACHE_MAX_ENTRIES = 10_000;

/**
 * Remembers the outcome of successful verifications, so that the same bearer token on many
 * callbacks costs one signature check. Least-recently-used entries go first when `maxEntries` is
 * reached; `maxEntries: 0` turns caching off.
 *
 * Entries are keyed by the token's SHA-256, never the token itself: a heap dump must not hand out
 * replayable credentials. Each entry lives until the instant `expiresAt` returns for it (the token's
 * `exp`) and never longer; after that the token goes through full verification again, so a cache
 * hit can never accept what a fresh check would refuse. Failures are not cached.
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();
  // Concurrent callbacks with the same new token share one verification.
  private readonly pending = new Map<string, Promise<T>>();

  constructor(
    private readonly maxEntries: number,
    private readonly expiresAt: (value: T) => number,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) throw new TypeError('cacheMaxEntries must be a non-negative integer');
  }

  /** Number of cached tokens (expired ones may linger until touched or evicted). */
  get size(): number {
    return this.entries.size;
  }

  /** Returns the cached outcome for `token`, or runs `verify` and caches what it resolves. */
  async verify(token: string, verify: (token: string) => Promise<T>): Promise<T> {
    if (this.maxEntries === 0) return verify(token);
    const key = hash('sha256', token, 'base64url'); // one-shot: half the cost of createHash on this hot path
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      if (Date.now() < hit.expiresAt) {
        this.entries.set(key, hit); // now the most recently used
        return hit.value;
      }
    }
    let running = this.pending.get(key);
    if (!running) {
      running = verify(token)
        .then((value) => {
          this.store(key, value);
          return value;
        })
        .finally(() => this.pending.delete(key));
      this.pending.set(key, running);
    }
    return running;
  }

  private store(key: string, value: T): void {
    const expiresAt = this.expiresAt(value);
    if (!(Date.now() < expiresAt)) return; // also refuses NaN: nothing cached without a known expiry
    this.entries.set(key, { value, expiresAt });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
