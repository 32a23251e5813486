import { describe, it, expect, afterEach, jest } from '@jest/globals';
import { CallingBot, type CommsNotifications, type Participant } from '@graph-comms/core';

const CALL = 'call-prune';
const RETENTION = 60_000;
let bot: CallingBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
  jest.useRealTimers();
});

const operation = (n: number, status: string): CommsNotifications => ({
  value: [{ changeType: status === 'running' ? 'updated' : 'deleted', resourceUrl: `/communications/calls/${CALL}/operations/op-${n}`, resourceData: { '@odata.type': '#microsoft.graph.inviteParticipantsOperation', id: `op-${n}`, clientContext: `ctx-${n}`, status } }],
});
const participant = (userId: string): Participant => ({ id: `p-${userId}`, info: { identity: { user: { id: userId } } }, isMuted: false });
const roster = (changeType: string, ...users: string[]): CommsNotifications => ({
  value: [{ changeType, resourceUrl: `/communications/calls/${CALL}/participants`, resourceData: users.map(participant) }],
});

describe('what a call record remembers', () => {
  it('keeps at most 64 finished operations, however young: beyond, the earliest finished go down to 48', async () => {
    jest.useFakeTimers({ now: 1_000_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, retentionMs: RETENTION, operationTimeoutMs: 10 * RETENTION });
    const idsNow = async () => (await bot!.getCall(CALL))!.operations.map((o) => o.id);
    await bot.processNotifications(operation(1000, 'running')); // pending: never dropped for the bound
    for (let n = 0; n < 64; n += 1) {
      jest.setSystemTime(1_000_000 + n);
      await bot.processNotifications(operation(n, 'completed'));
    }
    expect(await idsNow()).toHaveLength(65);
    jest.setSystemTime(1_000_064);
    await bot.processNotifications(operation(64, 'completed')); // the 65th finished
    let ids = await idsNow();
    expect(ids).toHaveLength(49);
    expect(ids.slice(0, 2)).toEqual(['op-1000', 'op-17']);
    expect(ids.at(-1)).toBe('op-64');
    for (let n = 65; n < 70; n += 1) {
      jest.setSystemTime(1_000_000 + n);
      await bot.processNotifications(operation(n, 'completed'));
    }
    ids = await idsNow();
    expect(ids).toHaveLength(54);
    expect(ids.slice(0, 2)).toEqual(['op-1000', 'op-17']);
    expect(ids.at(-1)).toBe('op-69');
    // A repeat of an outcome still kept tells nothing again.
    const completed: string[] = [];
    bot.on('operationCompleted', (e) => completed.push(e.operationId ?? ''));
    await bot.processNotifications(operation(17, 'completed'));
    expect(completed).toEqual([]);
  });

  it('forgets finished operations and departures once retention passes, and keeps pending operations', async () => {
    jest.useFakeTimers({ now: 1_000_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, retentionMs: RETENTION, operationTimeoutMs: 10 * RETENTION });
    await bot.processNotifications(operation(1, 'completed'));
    await bot.processNotifications(operation(2, 'running'));
    await bot.processNotifications(roster('updated', 'a', 'b'));
    await bot.processNotifications(roster('deleted', 'a'));
    let record = (await bot.getCall(CALL))!;
    expect(record.operations.map((o) => [o.id, o.status])).toEqual([['op-1', 'completed'], ['op-2', 'running']]);
    expect(record.removed.map((r) => r.id)).toEqual(['p-a']);

    jest.setSystemTime(1_000_000 + RETENTION + 1);
    await bot.processNotifications(roster('updated', 'c')); // any change prunes what is stale
    record = (await bot.getCall(CALL))!;
    expect(record.operations.map((o) => o.id)).toEqual(['op-2']);
    expect(record.removed).toEqual([]);
    expect(record.roster.map((e) => e.id)).toEqual(['p-b', 'p-c']);
  });

  it('lets a participant back in once its departure is forgotten', async () => {
    jest.useFakeTimers({ now: 1_000_000, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, retentionMs: RETENTION });
    const joined: string[] = [];
    bot.on('rosterUpdated', (e) => joined.push(...e.added.map((p) => p.id ?? '')));
    const seq = (n: number, users: string[]): CommsNotifications => ({
      value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${CALL}/participants`, resourceData: users.map((u) => ({ ...participant(u), rosterSequenceNumber: n })) }],
    });
    await bot.processNotifications(seq(5, ['a']));
    await bot.processNotifications({ value: [{ changeType: 'deleted', resourceUrl: `/communications/calls/${CALL}/participants`, resourceData: [{ ...participant('a'), rosterSequenceNumber: 6 }] }] });
    await bot.processNotifications(seq(4, ['a'])); // older than the departure: ignored
    jest.setSystemTime(1_000_000 + RETENTION + 1);
    await bot.processNotifications(seq(1, ['b'])); // prunes the note
    await bot.processNotifications(seq(4, ['a'])); // nothing left to compare with: a new arrival
    expect(joined).toEqual(['p-a', 'p-b', 'p-a']);
  });
});
