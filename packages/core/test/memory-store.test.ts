import { describe, it, expect, afterEach, jest } from '@jest/globals';
import { CallingBot, MemoryCallStore, type CallRecord, type CommsNotifications, type OutboxEntry, type Participant } from '@graph-comms/core';

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

const member = (callId: string, n: number, metadata = ''): Participant => ({
  id: `${callId}-p${n}`,
  info: { identity: { user: { id: `${callId}-u${n}`, displayName: 'Someone' } } },
  mediaStreams: [{ mediaType: 'audio', sourceId: String(n), direction: 'sendReceive', serverMuted: false }],
  isMuted: false,
  ...(metadata ? { metadata } : {}),
});
/** A call with `participants` in its roster. */
const withRoster = (callId: string, now: number, participants: number, metadata = ''): CallRecord => ({
  ...record(callId, now),
  roster: Array.from({ length: participants }, (_, n) => ({ id: `${callId}-p${n}`, participant: member(callId, n, metadata) })),
});
/** What a store estimates for these records when they are its only writes. */
const bytesOf = async (...records: CallRecord[]): Promise<number> => {
  const latest = Math.max(...records.map((r) => r.updatedAt));
  const probe = new MemoryCallStore({ maxBytes: Infinity, now: () => latest });
  for (const r of records) await put(probe, r);
  return probe.bytes;
};

describe('MemoryCallStore byte budget', () => {
  it('prices a call by what it holds: participants, their metadata, operations', async () => {
    const empty = await bytesOf(record('a', 0));
    const one = await bytesOf(withRoster('a', 0, 1));
    const five = await bytesOf(withRoster('a', 0, 5));
    const chatty = await bytesOf(withRoster('a', 0, 1, 'x'.repeat(10_000)));
    expect(empty).toBeGreaterThan(200);
    expect(one - empty).toBeGreaterThan(500);
    expect(five - empty).toBeCloseTo(5 * (one - empty), -2);
    expect(chatty - one).toBeGreaterThanOrEqual(10_000);
    const operation = { key: 'c:ctx', id: 'op', clientContext: 'ctx', status: 'completed' as const, kind: 'invite' as const, sent: true, createdAt: 1, finishedAt: 2 };
    expect(await bytesOf({ ...record('a', 0), operations: [operation, { ...operation, key: 'c:ctx2' }] })).toBeGreaterThan(empty + 200);
  });

  it('keeps its count exact as records change, whatever they share with the ones they replace', async () => {
    let now = 0;
    const store = new MemoryCallStore({ maxBytes: Infinity, now: () => now });
    let r = withRoster('a', now, 4);
    await put(store, r);
    const steps: Array<(r: CallRecord) => CallRecord> = [
      (r) => ({ ...r, roster: [...r.roster, { id: 'late', participant: member('a', 9, 'm'.repeat(300)) }] }), // one joins
      (r) => ({ ...r, roster: r.roster.filter((_, i) => i !== 1) }), // one leaves from the middle
      (r) => ({ ...r, roster: r.roster.map((e, i) => (i === 0 ? { ...e, participant: { ...e.participant, isMuted: true, metadata: 'now with metadata' } } : e)) }),
      (r) => ({ ...r, removed: [...r.removed, { id: 'a-p1', at: now }], recent: [...r.recent, 'fingerprint-1'] }),
      (r) => ({ ...r, recent: [...r.recent.slice(1), 'fingerprint-2'], state: 'established', call: { id: 'a', state: 'established' } }),
      (r) => ({ ...r, roster: [], removed: [], endedAt: now, resultInfo: { code: 200, subcode: 5001, message: 'ended' } }),
    ];
    for (const change of steps) {
      now += 1500; // some writes move the call, some do not
      r = { ...change(r), updatedAt: now };
      await put(store, r);
      expect(store.bytes).toBeGreaterThan(0);
      expect(store.bytes).toBe(await bytesOf(r));
    }
    await put(store, record('b', now));
    expect(store.bytes).toBe(await bytesOf(r, record('b', now)));
  });

  it('drops the least recently updated calls once their estimate passes maxBytes, and a recently updated one survives', async () => {
    let now = 0;
    const perCall = await bytesOf(withRoster('x0000', 0, 5));
    const budget = perCall * 10 + perCall / 2;
    const store = new MemoryCallStore({ maxBytes: budget, now: () => now });
    await put(store, withRoster('keeper', now, 5));
    for (let i = 0; i < 2000; i++) {
      now += 150; // ten calls are 1.5 s of writes
      await put(store, withRoster(`x${String(i).padStart(4, '0')}`, now, 5));
      if (i % 8 === 0) await put(store, withRoster('keeper', now, 5)); // moved each time, never the oldest
      expect(store.bytes).toBeLessThanOrEqual(budget);
    }
    expect(store.size).toBe(10);
    expect(await store.getCall('keeper')).toBeDefined();
    for (let i = 1991; i < 2000; i++) expect(await store.getCall(`x${i}`)).toBeDefined();
    expect(await store.getCall('x1990')).toBeUndefined();
    // One large call takes the room of several small ones, the least recently updated.
    now += 2000;
    await put(store, withRoster('large', now, 20));
    expect(store.bytes).toBeLessThanOrEqual(budget);
    expect(store.size).toBeLessThanOrEqual(8);
    expect(await store.getCall('large')).toBeDefined();
    for (const gone of ['x1991', 'x1992', 'keeper']) expect(await store.getCall(gone)).toBeUndefined();
    for (let i = 1995; i < 2000; i++) expect(await store.getCall(`x${i}`)).toBeDefined();
  });

  it('keeps a single call larger than the budget, and counts nothing once every call is gone', async () => {
    let now = 0;
    const store = new MemoryCallStore({ maxBytes: 1000, retentionMs: 1000, now: () => now });
    await put(store, withRoster('a', now, 5));
    await put(store, withRoster('b', (now += 10), 5));
    expect(store.size).toBe(1);
    expect(await store.getCall('b')).toBeDefined();
    await put(store, { ...withRoster('b', (now += 10), 5), endedAt: now });
    now += 5000;
    await put(store, record('c', now)); // sweeps b, retention passed
    expect(await store.getCall('b')).toBeUndefined();
    expect(store.bytes).toBe(await bytesOf(record('c', now)));
    await store.close();
    expect(store.bytes).toBe(0);
  });
});

const outboxEntry = (callId: string, id: string, leaseUntil: number): OutboxEntry => ({
  id,
  seq: leaseUntil,
  owner: 'process-1',
  leaseUntil,
  effects: [{ type: 'emit', name: 'toneReceived', payload: { callId, tone: 'tone1', sequenceId: 1 } }, { type: 'keepAlive', callId, running: true }],
});

describe('MemoryCallStore outbox', () => {
  it('prices outbox entries, and markEmitted gives back exactly what the entries it removes cost', async () => {
    const now = 1_000_000;
    const store = new MemoryCallStore({ maxBytes: Infinity, now: () => now });
    const bare = withRoster('a', now, 2);
    const entries = ['e1', 'e2', 'e3'].map((id) => outboxEntry('a', id, now + 1000.5));
    await put(store, { ...bare, outbox: entries });
    const withEntries = store.bytes;
    expect(withEntries).toBe(await bytesOf({ ...bare, outbox: entries }));
    expect(withEntries - (await bytesOf(bare))).toBeGreaterThan(3 * 100);
    await store.markEmitted('a', ['e2']);
    expect(store.bytes).toBe(await bytesOf({ ...bare, outbox: [entries[0]!, entries[2]!] }));
    await store.markEmitted('a', ['e1', 'e3']);
    expect(await store.getCall('a')).toEqual(bare);
    expect(store.bytes).toBe(await bytesOf(bare));
  });

  it('marking entries emitted is no write: the call keeps its place for eviction and its idle time', async () => {
    let now = 0;
    const store = new MemoryCallStore({ maxCalls: 2, idleTimeoutMs: 10_000, now: () => now });
    await put(store, { ...record('a', now), outbox: [outboxEntry('a', 'e1', now + 500)] });
    await put(store, record('b', (now += 2000)));
    now += 2000;
    await store.markEmitted('a', ['e1']);
    expect((await store.getCall('a'))?.updatedAt).toBe(0);
    await put(store, record('c', now));
    expect(await store.getCall('a')).toBeUndefined(); // still the least recently updated
    expect(await store.getCall('b')).toBeDefined();
  });

  it('takes a call out of the stale-outbox index when it is dropped, or its outbox emptied by a write', async () => {
    let now = 0;
    const store = new MemoryCallStore({ maxCalls: 1, now: () => now });
    await put(store, { ...record('evicted', now), outbox: [outboxEntry('evicted', 'e1', 10)] });
    await put(store, { ...record('emptied', (now += 2000)), outbox: [outboxEntry('emptied', 'e1', 10)] }); // evicts the first
    await put(store, record('emptied', (now += 2000)));
    expect(await store.claimStaleOutboxes(100, 200, 10)).toEqual([]);
    await put(store, { ...record('kept', (now += 2000)), outbox: [outboxEntry('kept', 'e1', 10)] });
    expect(await store.claimStaleOutboxes(100, 200, 10)).toEqual(['kept']);
    await store.close();
    expect(await store.claimStaleOutboxes(1000, 2000, 10)).toEqual([]);
  });

  it('runs a step again when the step itself wrote the call, so that neither write is lost', async () => {
    const store = new MemoryCallStore();
    let inner: Promise<unknown> | undefined;
    const bump = (r: CallRecord | undefined) => ({ record: { ...(r ?? record('a', Date.now())), rosterSequence: (r?.rosterSequence ?? 0) + 1 }, effects: [], value: undefined });
    await store.updateCall('a', (r) => {
      inner ??= store.updateCall('a', bump);
      return bump(r);
    });
    await inner;
    expect((await store.getCall('a'))?.rosterSequence).toBe(2);
  });

  it('drops an expired call when it is read, without waiting for a write to sweep', async () => {
    let now = 0;
    const store = new MemoryCallStore({ retentionMs: 1000, idleTimeoutMs: 5000, now: () => now });
    await put(store, record('ended', now, now));
    await put(store, record('idle', now));
    now = 999;
    expect(await store.getCall('ended')).toBeDefined();
    now = 1000;
    expect(await store.getCall('ended')).toBeUndefined();
    expect(store.size).toBe(1);
    now = 5000;
    let seen: CallRecord | undefined | 'not run' = 'not run';
    await store.updateCall('idle', (r) => ((seen = r), { record: undefined, effects: [], value: undefined }));
    expect(seen).toBeUndefined();
    expect([store.size, store.bytes]).toEqual([0, 0]);
  });

  it('refuses bad input with a clear error, changing nothing', async () => {
    const store = new MemoryCallStore();
    await put(store, { ...record('a', Date.now()), outbox: [outboxEntry('a', 'e1', 10)] });
    await expect(store.markEmitted('a', 'e1' as never)).rejects.toThrow('markEmitted: entryIds must be an array of entry ids');
    await expect(store.scheduleDeadline('k', Number.NaN)).rejects.toThrow('dueAt must be a number, got NaN');
    await expect(store.scheduleDeadline('k', 10, 'never' as never)).rejects.toThrow('unknown deadline mode');
    await expect(store.claimDueDeadlines(Number.NaN, 0, 1)).rejects.toThrow('now must be a number');
    await expect(store.claimStaleOutboxes(0, Number.NaN, 1)).rejects.toThrow('retryAt must be a number');
    expect((await store.getCall('a'))?.outbox?.map((e) => e.id)).toEqual(['e1']);
    expect(await store.claimDueDeadlines(Infinity, 0, 10)).toEqual([]);
  });
});

describe('MemoryCallStore at its bounds, over many writes', () => {
  it('holds maxCalls after many times as many writes, dropping the least recently updated, keeping recent ones', async () => {
    let now = 0;
    const store = new MemoryCallStore({ maxCalls: 100, maxBytes: Infinity, now: () => now });
    for (let i = 0; i < 20_000; i++) {
      now += 20; // 100 calls are two seconds of writes
      await put(store, record(`call-${i}`, now));
      // Updated every 1.2 s: moved to the end each time, never the oldest.
      if (i % 60 === 0) await put(store, record('keeper', now));
      expect(store.size).toBeLessThanOrEqual(100);
    }
    expect(store.size).toBe(100);
    expect(await store.getCall('keeper')).toBeDefined();
    for (let i = 20_000 - 99; i < 20_000; i++) expect(await store.getCall(`call-${i}`)).toBeDefined();
    expect(await store.getCall(`call-${20_000 - 100}`)).toBeUndefined();
    expect(await store.getCall('call-0')).toBeUndefined();
  });

  it('drops ended calls after retention and idle calls after the idle timeout, also while evicting at the bound', async () => {
    let now = 0;
    const store = new MemoryCallStore({ maxCalls: 50, retentionMs: 10_000, idleTimeoutMs: 60_000, maxBytes: Infinity, now: () => now });
    await put(store, record('ended', now, now));
    for (let i = 0; i < 40; i++) await put(store, record(`quiet-${i}`, now));
    now += 9_000;
    for (let i = 0; i < 5; i++) await put(store, record(`busy-${i}`, now));
    expect(await store.getCall('ended')).toBeDefined(); // retention not yet passed
    now += 2_000;
    await put(store, record('busy-0', now));
    expect(await store.getCall('ended')).toBeUndefined();
    // Over the bound: the oldest quiet calls go, one per new call.
    for (let i = 0; i < 1000; i++) await put(store, record(`burst-${i}`, (now += 1)));
    expect(store.size).toBe(50);
    expect(await store.getCall('quiet-0')).toBeUndefined();
    // Then nothing evicts for a while: many calls come and go below the bound, then idle ones go.
    const wide = new MemoryCallStore({ idleTimeoutMs: 60_000, now: () => now });
    for (let i = 0; i < 5000; i++) await put(wide, record(`old-${i}`, now));
    now += 30_000;
    for (let i = 0; i < 5000; i++) await put(wide, record(`new-${i}`, (now += 1)));
    for (let i = 0; i < 3000; i++) await put(wide, record(`old-${i}`, now)); // moved: no longer idle
    now += 31_000;
    await put(wide, record('trigger', now));
    expect(wide.size).toBe(5000 + 3000 + 1);
    expect(await wide.getCall('old-4999')).toBeUndefined();
    expect(await wide.getCall('old-0')).toBeDefined();
    expect(await wide.getCall('new-0')).toBeDefined();
    now += 40_000;
    await put(wide, record('trigger', now));
    expect(wide.size).toBe(1);
  });
});

describe('memory over many calls', () => {
  it('is back near its starting heap once 100 000 ended calls have passed their retention', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('this test needs node --expose-gc (npm test passes it)');
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'], now: 1_000_000 });
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, retentionMs: 60_000, store: new MemoryCallStore({ retentionMs: 60_000 }) });
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
