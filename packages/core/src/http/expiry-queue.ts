/** A wait in an {@link ExpiryQueue}: cancel it once what it bounds is over. */
export interface Expiry {
  cancel(): void;
}

class Waiter implements Expiry {
  constructor(
    readonly queue: ExpiryQueue,
    readonly at: number,
    public fire: (() => void) | undefined,
  ) {}

  cancel(): void {
    this.fire = undefined;
    this.queue.trim();
  }
}

/**
 * Timeouts that all have the same length, so that they expire in the order they were added: a
 * FIFO with one timer for its oldest live entry, instead of a Node timer per wait. Adding and
 * cancelling are O(1). Waits mostly end in the order they began, so a cancelled wait usually
 * leaves from the front at once; the others are skipped when they reach it.
 */
export class ExpiryQueue {
  #waiters: Waiter[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly timeoutMs: number) {}

  /** How many waits are held, cancelled ones not yet at the front included. */
  get size(): number {
    return this.#waiters.length - this.#head;
  }

  /** Calls `fire` once `timeoutMs` have passed, unless cancelled first. */
  add(fire: () => void): Expiry {
    const waiter = new Waiter(this, Date.now() + this.timeoutMs, fire);
    this.#waiters.push(waiter);
    if (!this.#timer) this.#arm(this.timeoutMs);
    return waiter;
  }

  /** Drops the cancelled waits at the front. */
  trim(): void {
    const waiters = this.#waiters;
    while (this.#head < waiters.length && !waiters[this.#head]!.fire) this.#head += 1;
    if (this.#head === waiters.length) {
      waiters.length = 0;
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > waiters.length) {
      this.#waiters = waiters.slice(this.#head);
      this.#head = 0;
    }
  }

  #arm(delay: number): void {
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, delay));
    this.#timer.unref();
  }

  #expire(): void {
    this.#timer = undefined;
    const now = Date.now();
    for (let next = this.#waiters[this.#head]; next && (!next.fire || next.at <= now); next = this.#waiters[this.#head]) {
      this.#head += 1;
      const fire = next.fire;
      next.fire = undefined;
      fire?.();
    }
    this.trim();
    const next = this.#waiters[this.#head];
    if (next) this.#arm(next.at - now);
  }
}
