import type { DeadlineMode } from './call-store.js';

/**
 * Named deadlines in one process's memory, earliest first: the memory store's, and the bot's own
 * for a store that keeps none. A binary min-heap with lazy deletion: moving or cancelling a
 * deadline only updates `#due`, and heap entries that no longer match it are skipped when they
 * surface, or dropped all at once when they outnumber the live ones. 100 000 calls each hold a
 * keepAlive deadline that moves on every claim, and claims run every second: each costs
 * O(log n) per deadline it takes, never a scan.
 */
export class DeadlineSchedule {
  readonly #due = new Map<string, number>();
  // The heap, as two parallel arrays (no object per entry).
  #times: number[] = [];
  #keys: string[] = [];

  /** How many deadlines are set. */
  get size(): number {
    return this.#due.size;
  }

  /** When `key` is due; undefined when it is not set. */
  dueAt(key: string): number | undefined {
    return this.#due.get(key);
  }

  /** Sets `key` due at `dueAt`: `set` always, `ifAbsent` unless set, `ifLater` unless set to a later or equal time. */
  schedule(key: string, dueAt: number, mode: DeadlineMode = 'set'): void {
    checkKey(key);
    checkTime(dueAt, 'dueAt');
    const current = this.#due.get(key);
    if (mode === 'ifAbsent' ? current !== undefined : mode === 'ifLater' ? current !== undefined && current >= dueAt : mode === 'set' ? current === dueAt : badMode(mode)) return;
    this.#due.set(key, dueAt);
    this.#push(dueAt, key);
    this.#compactIfStale();
  }

  /** Removes `key`; with `dueAt`, only while it is due exactly then. */
  cancel(key: string, dueAt?: number): void {
    const current = this.#due.get(key);
    if (current === undefined || (dueAt !== undefined && current !== dueAt)) return;
    this.#due.delete(key);
    this.#compactIfStale();
  }

  /** If `key` is due by `now`, moves it to `retryAt`. Whether it did. */
  claim(key: string, now: number, retryAt: number): boolean {
    checkTime(now, 'now');
    checkTime(retryAt, 'retryAt');
    const current = this.#due.get(key);
    if (current === undefined || current > now) return false;
    this.#move(key, current, retryAt);
    return true;
  }

  /** Up to `limit` keys due by `now`, earliest first, each moved to `retryAt`. */
  claimDue(now: number, retryAt: number, limit: number): string[] {
    checkTime(now, 'now');
    checkTime(retryAt, 'retryAt');
    if (typeof limit !== 'number' || Number.isNaN(limit)) throw new TypeError(`limit must be a number, got ${String(limit)}`);
    const claimed: string[] = [];
    // Moved once the loop is done, so that a retryAt ≤ now cannot hand a key out twice.
    const taken = new Set<string>();
    while (claimed.length < limit && this.#times.length > 0) {
      const time = this.#times[0]!;
      const key = this.#keys[0]!;
      if (this.#due.get(key) !== time || taken.has(key)) {
        this.#pop(); // stale, or a second entry at the same time
        continue;
      }
      if (time > now) break;
      this.#pop();
      taken.add(key);
      claimed.push(key);
    }
    for (const key of claimed) {
      this.#due.set(key, retryAt);
      this.#push(retryAt, key);
    }
    return claimed;
  }

  clear(): void {
    this.#due.clear();
    this.#times = [];
    this.#keys = [];
  }

  /** Heap entries, live and stale: for tests of compaction. */
  get heapSize(): number {
    return this.#times.length;
  }

  #move(key: string, from: number, to: number): void {
    if (from === to) return;
    this.#due.set(key, to);
    this.#push(to, key);
    this.#compactIfStale();
  }

  /** Rebuilds the heap from `#due` once stale entries outnumber live ones: amortised O(1) per change. */
  #compactIfStale(): void {
    if (this.#times.length - this.#due.size <= this.#due.size) return;
    this.#times = [...this.#due.values()];
    this.#keys = [...this.#due.keys()];
    for (let i = (this.#times.length >> 1) - 1; i >= 0; i -= 1) this.#down(i);
  }

  #push(time: number, key: string): void {
    const times = this.#times;
    const keys = this.#keys;
    let i = times.length;
    times.push(time);
    keys.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (times[parent]! <= time) break;
      times[i] = times[parent]!;
      keys[i] = keys[parent]!;
      i = parent;
    }
    times[i] = time;
    keys[i] = key;
  }

  #pop(): void {
    const lastTime = this.#times.pop()!;
    const lastKey = this.#keys.pop()!;
    if (this.#times.length === 0) return;
    this.#times[0] = lastTime;
    this.#keys[0] = lastKey;
    this.#down(0);
  }

  #down(start: number): void {
    const times = this.#times;
    const keys = this.#keys;
    const n = times.length;
    const time = times[start]!;
    const key = keys[start]!;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && times[child + 1]! < times[child]!) child += 1;
      if (times[child]! >= time) break;
      times[i] = times[child]!;
      keys[i] = keys[child]!;
      i = child;
    }
    times[i] = time;
    keys[i] = key;
  }
}

function checkKey(key: string): void {
  if (typeof key !== 'string') throw new TypeError(`a deadline key must be a string, got ${typeof key}`);
}

// NaN would break the heap's order for every deadline, not only its own.
function checkTime(time: number, name: string): void {
  if (typeof time !== 'number' || Number.isNaN(time)) throw new TypeError(`${name} must be a number, got ${String(time)}`);
}

function badMode(mode: never): never {
  throw new TypeError(`unknown deadline mode ${JSON.stringify(mode)}: expected 'set', 'ifAbsent' or 'ifLater'`);
}
