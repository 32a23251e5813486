import type { CallStore } from '@graph-comms/core';
import type { CallStoreHarness, HarnessStoreOptions } from '@graph-comms/core/testing';
import { RedisCallStore, type RedisCallStoreOptions } from '@graph-comms/redis-store';
import { until } from './redis-cli.js';

/** Makes Redis unreachable and reachable again (stops and starts its servers). */
export interface Outage {
  begin(): Promise<void>;
  end(): Promise<void>;
}

/**
 * A conformance harness over one Redis or one Cluster: each store `create` opens gets a fresh
 * key prefix, so that cases never see each other's keys; `peer` opens a second store on the
 * same prefix, as another process would. An outage ends once every open store has reconnected
 * (each retries on its own schedule, up to a second apart, and fails fast until then).
 */
export function storeHarness(connection: () => RedisCallStoreOptions, outage: Outage): CallStoreHarness {
  let opened = 0;
  const settings = new WeakMap<CallStore, RedisCallStoreOptions>();
  const live = new Set<RedisCallStore>();
  const open = (options: RedisCallStoreOptions): RedisCallStore => {
    const store = new RedisCallStore(options);
    settings.set(store, options);
    live.add(store);
    return store;
  };
  const reconnected = async (store: RedisCallStore): Promise<boolean> => {
    try {
      await store.getCall('reconnected?');
      return true;
    } catch (error) {
      return error instanceof Error && /store is closed/.test(error.message); // closed: nothing to wait for
    }
  };
  return {
    async create(limits: HarnessStoreOptions = {}) {
      opened += 1;
      return open({ ...connection(), keyPrefix: `conformance-${process.pid}-${opened}:`, commandTimeoutMs: 1000, logger: false, ...limits });
    },
    async peer(store) {
      const options = settings.get(store);
      if (!options) throw new Error('peer: not a store of this harness');
      return open(options);
    },
    outage: {
      begin: () => outage.begin(),
      async end() {
        await outage.end();
        await Promise.all([...live].map((store) => until('a store reconnects after the outage', () => reconnected(store), 10_000)));
      },
    },
    async cleanup() {
      // The case closed its stores; each had a prefix of its own, so what they left is never seen again.
      live.clear();
    },
  };
}
