import { MemoryCallStore, StoreError, type CallRecord, type MemoryCallStoreOptions, type Step } from '@graph-comms/core';

/** How a write fails: thrown before the store is reached, rejected, thrown inside the store's read-modify-write, or rejected after the write was applied (a timeout after the commit). */
export type FailureMode = 'throw' | 'reject' | 'inside' | 'afterWrite';
const MODES: readonly FailureMode[] = ['throw', 'reject', 'inside', 'afterWrite'];

/** A small seeded generator (mulberry32): the same seed gives the same failures. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A memory store whose `updateCall` fails on a fraction (`rate`) of the writes, in one of the
 * {@link FailureMode}s picked at random: a store outage as the engine sees it through the
 * CallStore interface. `rate = 0` makes it a plain memory store again.
 */
export class FlakyStore extends MemoryCallStore {
  rate: number;
  failures = 0;
  readonly #random: () => number;

  constructor(random: () => number, rate: number, options: MemoryCallStoreOptions = {}) {
    super(options);
    this.#random = random;
    this.rate = rate;
  }

  #fails(): FailureMode | undefined {
    if (this.rate <= 0 || this.#random() >= this.rate) return undefined;
    this.failures++;
    return MODES[Math.floor(this.#random() * MODES.length)]!;
  }

  override updateCall<T>(callId: string, step: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
    const mode = this.#fails();
    const error = new StoreError(`injected ${mode} failure writing ${callId}`);
    switch (mode) {
      case undefined:
        return super.updateCall(callId, step);
      case 'throw':
        throw error;
      case 'reject':
        return Promise.reject(error);
      case 'inside':
        return super.updateCall(callId, (record) => {
          step(record);
          throw error;
        });
      case 'afterWrite':
        return super.updateCall(callId, step).then(() => Promise.reject(error));
    }
  }
}
