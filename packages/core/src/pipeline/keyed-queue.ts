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
    // One promise serves as the next task's turn and as the clean-up once the queue is empty.
    const settle = (): void => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    };
    const tail: Promise<void> = result.then(settle, settle);
    this.#tails.set(key, tail);
    return result;
  }

  /** How many keys have work queued. */
  get activeKeys(): number {
    return this.#tails.size;
  }
}
