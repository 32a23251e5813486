import { describe, it, expect, afterEach, jest } from '@jest/globals';
import { CallingBot, MemoryCallStore, type CallRecord, type CommsNotifications } from '@graph-comms/core';

const established = (callId: string): CommsNotifications => ({ value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${callId}`, resourceData: { state: 'established' } }] });
const ended = (callId: string): CommsNotifications => ({
  value: [{ changeType: 'deleted', resourceUrl: `/communications/calls/${callId}`, resourceData: { state: 'terminated', resultInfo: { code: 200, subcode: 5001, message: 'The conversation has ended.' } } }],
});
const record = (callId: string, now: number, endedAt?: number): CallRecord => ({ callId, roster: [], removed: [], operations: [], recent: [], updatedAt: now, ...(endedAt === undefined ? {} : { endedAt }) });
const put = (store: MemoryCallStore, r: CallRecord) => store.updateCall(r.callId, () => ({ record: r, effects: [], value: undefined }));

afterEach(() => {
  jest.useRealTimers();
});

describe('MemoryCallStore bounds', () => {
  it('drops an ended call once the retention time has passed, and keeps it until then', async () => {
    let now = 1_000_000;
    const store = new MemoryCallStore({ retentionMs: 60_000, now: () => now });
    await put(store, record('ended', now, now));
    await put(store, record('live', now));
    now += 59_000;
    await put(store, record('other', now));
    expect(await store.getCall('ended')).toBeDefined();
    now += 2_000;
    await put(store, record('other', now));
    expect(await store.getCall('ended')).toBeUndefined();
    expect(await store.getCall('live')).toBeDefined();
  });

  it('drops a call idle for longer than idleTimeoutMs', async () => {
    let now = 0;
    const store = new MemoryCallStore({ idleTimeoutMs: 10_000, now: () => now });
    await put(store, record('quiet', now));
    now = 5_000;
    await put(store, record('busy', now));
    now = 12_000;
    await put(store, record('busy', now));
    expect(await store.getCall('quiet')).toBeUndefined();
    expect(await store.getCall('busy')).toBeDefined();
  });

  it('keeps at most maxCalls, dropping the least recently updated (to the second)', async () => {
    let now = 0;
    const store = new MemoryCallStore({ maxCalls: 3, now: () => now });
    for (const id of ['a', 'b', 'c']) await put(store, record(id, (now += 2000)));
    await put(store, record('a', (now += 2000))); // a is fresh again
    await put(store, record('d', (now += 2000)));
    expect(store.size).toBe(3);
    expect(await store.getCall('b')).toBeUndefined();
    expect(await store.getCall('a')).toBeDefined();
  });

  it('lets a clientContext claim lapse after its time to live', async () => {
    let now = 0;
    const store = new MemoryCallStore({ now: () => now });
    expect(await store.reserveClientContext('ctx', 'call', 1000)).toBe(true);
    expect(await store.reserveClientContext('ctx', 'call', 1000)).toBe(false);
    now = 1000;
    expect(await store.reserveClientContext('ctx', 'call', 1000)).toBe(true);
    await store.releaseClientContext('ctx', 'another-call'); // not that call's claim: kept
    expect(await store.reserveClientContext('ctx', 'call', 1000)).toBe(false);
    await store.releaseClientContext('ctx', 'call');
    expect(await store.reserveClientContext('ctx', 'call', 1000)).toBe(true);
    await store.releaseClientContext('ctx');
    expect(await store.reserveClientContext('ctx', 'call', 1000)).toBe(true);
  });
});

describe('memory over many calls', () => {
  it('is back near its starting heap once 100 000 ended calls have passed their retention', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('this test needs node --expose-gc (npm test passes it)');
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'], now: 1_000_000 });
    const bot = new CallingBot({ appId: 'app', tokenVerifier: false, retentionMs: 60_000, store: new MemoryCallStore({ retentionMs: 60_000 }) });
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 100_000; i++) {
      await bot.processNotifications(established(`call-${i}`));
      await bot.processNotifications(ended(`call-${i}`));
    }
    const store = bot.store as MemoryCallStore;
    expect(store.size).toBe(100_000);
    gc();
    const peak = process.memoryUsage().heapUsed;
    jest.setSystemTime(1_000_000 + 61_000 + 2_000);
    await bot.processNotifications(established('one-more')); // writes sweep what expired
    gc();
    const after = process.memoryUsage().heapUsed;
    expect(store.size).toBe(1);
    // Held: tens of MB for the 100 000 calls; after retention, within a few MB of the start.
    expect(peak - before).toBeGreaterThan(20 * 1024 * 1024);
    expect(after - before).toBeLessThan(8 * 1024 * 1024);
    await bot.close();
  }, 120_000);
});
