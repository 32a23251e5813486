import { describe, it, expect } from '@jest/globals';
import { MemoryCallStore, StoreError, type CallStore } from '@graph-comms/core';
import { callStoreConformance, type CallStoreHarness } from '@graph-comms/core/testing';

// Several bots on one memory store share it as processes share Redis: the peer is the store
// itself. One process's memory has no outage.
const memory: CallStoreHarness = {
  create: async (options) => new MemoryCallStore(options),
  peer: async (store) => store,
  cleanup: async () => {},
};

describe('MemoryCallStore conformance', () => {
  for (const c of callStoreConformance(memory)) it(c.name, c.run);
});

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

/** A memory store with one defect, to show that the suite catches it. */
const broken = (defect: (store: MemoryCallStore) => Partial<CallStore>): CallStoreHarness => ({
  create: async (options) => {
    const store = new MemoryCallStore(options);
    return Object.assign(store, defect(store));
  },
  cleanup: async () => {},
});

/** Runs the one case named like `name` against `harness`: it must fail with `message`. */
async function failing(harness: CallStoreHarness, name: string, message: RegExp): Promise<void> {
  const found = callStoreConformance(harness).filter((c) => c.name.includes(name));
  expect(found).toHaveLength(1);
  await expect(found[0]!.run()).rejects.toThrow(message);
}

describe('the conformance suite', () => {
  it('names each case once, and has no outage cases for a harness that cannot make an outage', () => {
    const names = callStoreConformance(memory).map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => n.startsWith('outage'))).toEqual([]);
  });

  it('fails a store that loses updates: a step run on what was read before another write', async () => {
    const defect = broken((store) => {
      const update = store.updateCall.bind(store);
      return { updateCall: async (callId, step) => { const read = await store.getCall(callId); await tick(); return update(callId, () => step(read)); } };
    });
    await failing(defect, '100 concurrent increments of one call through one store', /must all apply/);
  });

  it('fails a store that resolves with a run that was not committed', async () => {
    const defect = broken((store) => {
      const update = store.updateCall.bind(store);
      return { updateCall: async (callId, step) => { const first = step(await store.getCall(callId)); await tick(); await update(callId, step); return first; } };
    });
    await failing(defect, 'of 40 writers racing', /resolved with the position its committed run wrote/);
  });

  it('fails a store whose markEmitted removes nothing', async () => {
    await failing(broken(() => ({ markEmitted: async () => {} })), 'removes exactly the ids given', /Expected values to be strictly deep-equal/);
  });

  it('fails a store that sweeps outboxes whose lease has not ended', async () => {
    await failing(broken((store) => ({ claimStaleOutboxes: (_now, retryAt, limit) => MemoryCallStore.prototype.claimStaleOutboxes.call(store, Number.MAX_SAFE_INTEGER, retryAt, limit) })), 'only once the latest lease', /one lease runs until T/);
  });

  it('fails a store that hands one due deadline to two claimers', async () => {
    const defect = broken((store) => ({
      // Reads what is due, then moves it: not one atomic step.
      claimDueDeadlines: async (now, retryAt, limit) => {
        const due = await MemoryCallStore.prototype.claimDueDeadlines.call(store, now, now, limit);
        await tick();
        for (const key of due) await store.scheduleDeadline(key, retryAt);
        return due;
      },
    }));
    await failing(defect, 'each due deadline goes to one claimer', /none twice|earliest first/);
  });

  it('fails a store that has some deadline methods but not all', async () => {
    await failing(broken(() => ({ claimDeadline: undefined })), 'each group whole or not at all', /not claimDeadline/);
  });

  it('fails a store that delivers an outcome twice', async () => {
    const defect = broken((store) => ({
      publishOutcome: async (...outcome) => {
        await MemoryCallStore.prototype.publishOutcome.apply(store, outcome);
        await MemoryCallStore.prototype.publishOutcome.apply(store, outcome);
      },
    }));
    await failing(defect, 'reaches every subscriber', /Expected values to be strictly deep-equal/);
  });

  describe('with an outage', () => {
    /** A store whose updates fail while out; `replay` makes them land once it is back, as a client's offline queue would. */
    const flaky = (failure: () => Error, replay: boolean): CallStoreHarness => {
      let out = false;
      const queued: Array<() => Promise<unknown>> = [];
      return {
        create: async (options) => {
          const store = new MemoryCallStore(options);
          const update = store.updateCall.bind(store);
          const updateCall: CallStore['updateCall'] = (callId, step) => {
            if (!out) return update(callId, step);
            if (replay) queued.push(() => update(callId, step));
            return Promise.reject(failure());
          };
          return Object.assign(store, { updateCall });
        },
        outage: {
          begin: async () => void (out = true),
          end: async () => {
            out = false;
            for (const write of queued.splice(0)) await write();
          },
        },
        cleanup: async () => {},
      };
    };

    it('fails a store that rejects with an error other than StoreError, or does not reject at all', async () => {
      await failing(flaky(() => new Error('offline'), false), 'every method rejects with StoreError', /updateCall rejected with Error: offline, not a StoreError/);
      await failing(flaky(() => new StoreError('offline'), false), 'every method rejects with StoreError', /getCall resolved/);
    });

    it('fails a store whose writes attempted during the outage land after it', async () => {
      await failing(flaky(() => new StoreError('offline'), true), 'nothing attempted while the store was unreachable', /the update was not applied/);
    });

    it('passes the case that writes work after the outage', async () => {
      const [after] = callStoreConformance(flaky(() => new StoreError('offline'), false)).filter((c) => c.name.includes('writes and reads work'));
      await after!.run();
    });
  });
});
