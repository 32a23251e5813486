/**
 * One timer per pending operation or transfer, at its deadline, under the key of its deadline in
 * the store (the same string, so that it is held once). Timers are unref'd so that they never
 * keep the process alive, and all of them go with `clear()`.
 */
export class OperationTimers {
  // One flat map: a map per call cost some 200 bytes of heap per pending operation.
  readonly #timers = new Map<string, NodeJS.Timeout>();

  /** Calls `fire` once `Date.now()` has reached `deadline` (epoch ms), unless cancelled first. One timer per key. */
  schedule(id: string, deadline: number, fire: () => void): void {
    if (this.#timers.has(id)) return;
    this.#arm(id, deadline, fire);
  }

  // libuv's loop clock lags Date.now(), so a timer can fire a little before the deadline it was
  // set for: until Date.now() has reached it, the timer is set again for what remains.
  #arm(id: string, deadline: number, fire: () => void): void {
    const timer = setTimeout(() => {
      if (Date.now() < deadline) return this.#arm(id, deadline, fire);
      this.#timers.delete(id);
      fire();
    }, Math.max(0, deadline - Date.now()));
    timer.unref();
    this.#timers.set(id, timer);
  }

  /** Cancels the timer of `id`. */
  cancel(id: string): void {
    const timer = this.#timers.get(id);
    if (!timer) return;
    clearTimeout(timer);
    this.#timers.delete(id);
  }

  /** How many timers are armed. */
  get size(): number {
    return this.#timers.size;
  }

  /** Cancels every timer. */
  clear(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
