import type { CallStore } from '../store/call-store.js';

/** Limits a conformance case asks of a fresh store, in milliseconds (small, so that waits are short). */
export interface HarnessStoreOptions {
  /** How long an ended call is kept. */
  retentionMs?: number;
  /** How long a call with no write is kept. */
  idleTimeoutMs?: number;
}

/**
 * How the conformance suite gets stores of one kind. Each case opens its own stores, closes
 * every store it got from `create` and `peer` when it is done, then calls `cleanup`.
 */
export interface CallStoreHarness {
  /** A fresh, empty store, with these limits where given (the store's defaults otherwise). */
  create(options?: HarnessStoreOptions): Promise<CallStore>;
  /**
   * A second store on the same data as `store`, as another process would open it. Absent for
   * stores that are not shared: the cases for several processes then use `store` twice.
   */
  peer?(store: CallStore): Promise<CallStore>;
  /** Makes every store of the harness unreachable (`begin`) and reachable again (`end`). Absent: the suite has no outage cases. */
  outage?: { begin(): Promise<void>; end(): Promise<void> };
  /** After each case, once its stores are closed: removes what they left. */
  cleanup(): Promise<void>;
}

/** One check of the suite: `for (const c of callStoreConformance(h)) it(c.name, c.run)`. */
export interface ConformanceCase {
  /** What it checks; cases for an optional part say so, and check nothing without it. */
  name: string;
  /** Resolves when the store conforms; rejects with an `AssertionError` (or the store's error) when not. */
  run(): Promise<void>;
}

/** The stores one case opened, closed when it ends. */
export class Scope {
  readonly #opened: CallStore[] = [];
  #outage = false;

  constructor(readonly harness: CallStoreHarness) {}

  async store(options?: HarnessStoreOptions): Promise<CallStore> {
    return this.#track(await this.harness.create(options));
  }

  /** Another process's view of `store`; `store` itself when the harness has no `peer`. */
  async peer(store: CallStore): Promise<CallStore> {
    return this.harness.peer ? this.#track(await this.harness.peer(store)) : store;
  }

  async beginOutage(): Promise<void> {
    this.#outage = true;
    await this.harness.outage?.begin();
  }

  async endOutage(): Promise<void> {
    if (!this.#outage) return;
    this.#outage = false;
    await this.harness.outage?.end();
  }

  async dispose(): Promise<void> {
    try {
      await this.endOutage();
      for (const store of this.#opened.reverse()) await store.close();
    } finally {
      await this.harness.cleanup();
    }
  }

  #track(store: CallStore): CallStore {
    if (!this.#opened.includes(store)) this.#opened.push(store);
    return store;
  }
}

/** A case whose body gets a scope of its own, disposed of whatever happens. */
export function conformanceCase(harness: CallStoreHarness, name: string, body: (scope: Scope) => Promise<void>): ConformanceCase {
  return {
    name,
    async run() {
      const scope = new Scope(harness);
      let failure: { error: unknown } | undefined;
      try {
        await body(scope);
      } catch (error) {
        failure = { error };
      }
      // A failing check is what the case reports, not a cleanup that then failed too.
      try {
        await scope.dispose();
      } catch (error) {
        failure ??= { error };
      }
      if (failure) throw failure.error;
    },
  };
}
