// The memory store, made to keep an outbox: the one thing that differs between the two engines
// of figure (4x). With `outlivesProcess = true` the bot writes each step's effects into the
// record (the outbox) in the same write, emits them, then marks them emitted, as it does on a
// store that outlives the process (Redis); `MemoryCallStore` itself says false and keeps none.
import { MemoryCallStore } from '@graph-comms/core';

/** A MemoryCallStore that the bot treats as one outliving the process, so that it keeps an outbox. */
export class OutboxMemoryStore extends MemoryCallStore {
  outlivesProcess = true;
}

/** The memory store with or without an outbox, with `options` (MemoryCallStoreOptions). */
export const memoryStore = (outbox, options) => (outbox ? new OutboxMemoryStore(options) : new MemoryCallStore(options));
