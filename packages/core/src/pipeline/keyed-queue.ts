/**
 * Runs tasks one at a time per key, in the order they were queued; tasks of different keys run
 * concurrently. Keeps nothing for a key once its queue is empty.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>();

  /** Queues `task` behind the tasks already queued under `key`. */
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

  /** How many keys have work queued. */
  get activeKeys(): number {
    return this.#tails.size;
  }
}
