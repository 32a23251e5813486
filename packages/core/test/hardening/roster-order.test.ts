import { describe, it, expect, afterEach } from '@jest/globals';
import { CallingBot, type CommsNotifications, type Participant } from '@graph-comms/core';
import { recordEvents } from '../../../../test/helpers/recorder.js';

const CALL = 'call-r';
const person = (id: string | null, user: string, extra: Partial<Participant> = {}): Participant => ({ id, info: { identity: { user: { id: user } } }, isMuted: false, ...extra });
const roster = (changeType: string, participants: Participant[]): CommsNotifications => ({ value: [{ changeType, resourceUrl: `/communications/calls/${CALL}/participants`, resourceData: participants }] });
const delta = (sequenceNumber: number, participants: Participant[]): CommsNotifications => ({
  value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${CALL}`, resourceData: { '@odata.type': '#microsoft.graph.deltaParticipants', sequenceNumber, participants } }],
});

let bot: CallingBot;
afterEach(() => bot.close());
const ids = async () => (await bot.getCall(CALL))!.roster.map((e) => e.participant.id ?? e.identity);

describe('repeats and reordering', () => {
  it('keeps out a participant whose removal (by rosterSequenceNumber) arrived before its add', async () => {
    bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false });
    const rec = recordEvents(bot);
    await bot.processNotifications(roster('updated', [person('p0', 'u0', { rosterSequenceNumber: 1 })]));
    await bot.processNotifications(roster('deleted', [person('p1', 'u1', { rosterSequenceNumber: 5 })]));
    await bot.processNotifications(roster('updated', [person('p1', 'u1', { rosterSequenceNumber: 3 })])); // the late add
    expect(await ids()).toEqual(['p0']);
    expect(rec.of('rosterUpdated')).toHaveLength(1);
    await bot.processNotifications(roster('updated', [person('p1', 'u1', { rosterSequenceNumber: 6 })])); // back, later
    expect(await ids()).toEqual(['p0', 'p1']);
  });

  it('applies a late delta roster to the participants it still speaks for', async () => {
    bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false });
    await bot.processNotifications(delta(2, [person('b', 'ub'), person('a', 'ua', { isMuted: true })]));
    await bot.processNotifications(delta(1, [person('a', 'ua', { isMuted: false }), person('c', 'uc')])); // late: a is newer already
    const record = (await bot.getCall(CALL))!;
    expect(record.roster.map((e) => e.participant.id).sort()).toEqual(['a', 'b', 'c']);
    expect(record.roster.find((e) => e.id === 'a')!.participant.isMuted).toBe(true);
    // A late delta does not bring back who left in a later one.
    await bot.processNotifications(delta(4, [person('c', 'uc', { removedState: { reason: 'left' } })]));
    await bot.processNotifications(delta(3, [person('c', 'uc', { isMuted: true })]));
    expect((await ids()).sort()).toEqual(['a', 'b']);
  });

  it('takes a return to an earlier state as a change: unmuted, muted, unmuted ends unmuted', async () => {
    bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false });
    const rec = recordEvents(bot);
    for (const isMuted of [false, true, false]) await bot.processNotifications(roster('updated', [person('p', 'u', { isMuted })]));
    expect(rec.of('rosterUpdated').map((e) => [e.added.length, e.updated.map((p) => p.isMuted)])).toEqual([
      [1, []],
      [0, [true]],
      [0, [false]],
    ]);
    expect((await bot.getCall(CALL))!.roster[0]!.participant.isMuted).toBe(false);
    // A repeat of the latest is not a change.
    await bot.processNotifications(roster('updated', [person('p', 'u', { isMuted: false })]));
    expect(rec.of('rosterUpdated')).toHaveLength(3);
  });

  it('matches thousands of participants without ids to the roster in one pass', async () => {
    bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false });
    const many = Array.from({ length: 4000 }, (_, i) => person(`p${i}`, `u${i}`));
    await bot.processNotifications(roster('updated', many));
    // The same people, now reported without ids (as the invite page's examples do): found by identity.
    const rec = recordEvents(bot);
    await bot.processNotifications(roster('updated', many.map((p, i) => person(null, `U${i}`, { isMuted: true }))));
    const [event] = rec.of('rosterUpdated');
    expect(event!.added).toHaveLength(0);
    expect(event!.updated).toHaveLength(4000);
    expect((await bot.getCall(CALL))!.roster).toHaveLength(4000);
  });
});

describe('operations the bot did not send', () => {
  it('keeps at most 256 pending on a call, forgetting the oldest', async () => {
    bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false });
    const running = (i: number) => ({ changeType: 'updated', resourceUrl: `/communications/calls/${CALL}/operations/op-${i}`, resourceData: { '@odata.type': '#microsoft.graph.playPromptOperation', id: `op-${i}`, status: 'running' } });
    for (let i = 0; i < 300; i += 50) await bot.processNotifications({ value: Array.from({ length: 50 }, (_, j) => running(i + j)) });
    const ops = (await bot.getCall(CALL))!.operations;
    expect(ops).toHaveLength(256);
    expect(ops.map((o) => o.id)).toContain('op-299');
    expect(ops.map((o) => o.id)).not.toContain('op-0');
  });
});
