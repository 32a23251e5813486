/**
 * Runs tasks one at a time per key, in order; keys are independent. The store puts each call's
 * updates from this process in line, so that they never race each other for the same version
 * in Redis: optimistic retries then only happen when another process wrote in between.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    const result = previous ? previous.then(task) : task();
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** How many keys have work in line. */
  get size(): number {
    return this.#tails.size;
  }
}
