import { describe, it, expect, afterEach } from '@jest/globals';
import { CallingBot, type CommsNotifications, type Participant } from '@graph-comms/core';
import { seed } from '../../../test/helpers/fixtures.js';
import { recordEvents } from '../../../test/helpers/recorder.js';

const CALL = 'call-r';
let bots: CallingBot[] = [];
afterEach(async () => {
  await Promise.all(bots.map((b) => b.close()));
  bots = [];
});
const newBot = () => {
  const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false });
  bots.push(bot);
  return bot;
};

const participant = (userId: string, fields: Partial<Participant> = {}): Participant => ({
  '@odata.type': '#microsoft.graph.participant',
  id: `p-${userId}`,
  info: { identity: { user: { id: userId } }, endpointType: 'default' },
  isMuted: false,
  ...fields,
});
const roster = (changeType: string, participants: Participant[], path = `/communications/calls/${CALL}/participants`): CommsNotifications => ({
  value: [{ changeType, resourceUrl: path, resourceData: participants }],
});

describe('roster', () => {
  it('adds the seed 001 example 1 participant, keyed by identity since its id is null', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(seed('ex1-invite-one', 'notification-roster'));
    const [event] = rec.of('rosterUpdated');
    expect(event).toMatchObject({ callId: 'ab6233a5-20b7-4c5e-bea2-ce56c9776429', updated: [], removed: [] });
    expect(event!.added).toHaveLength(1);
    expect(event!.participants).toEqual(event!.added);
    const record = await bot.getCall('ab6233a5-20b7-4c5e-bea2-ce56c9776429');
    expect(record!.roster.map((e) => e.identity ?? e.id)).toEqual(['application:278405a3-f568-4b3e-b684-009193463064']);
    expect(record!.roster[0]!.id).toBeUndefined();
  });

  it('recognises the example 2 roster on .../operations/participants by its participant items', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(seed('ex2-invite-several', 'notification-roster'));
    const [event] = rec.of('rosterUpdated');
    expect(event!.callId).toBe('7531d31f-d10d-44de-802f-c569dbca451c');
    expect(event!.added).toHaveLength(2);
  });

  it('fires only when something changed', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(roster('updated', [participant('a')]));
    await bot.processNotifications(roster('Updated', [participant('a')])); // same content, other casing of the change type
    await bot.processNotifications(roster('updated', [participant('a', { isMuted: true })]));
    expect(rec.of('rosterUpdated').map((e) => [e.added.length, e.updated.length])).toEqual([[1, 0], [0, 1]]);
  });

  it('removes participants on deleted, keeps the others, and reports the whole roster', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(roster('created', [participant('a'), participant('b')]));
    await bot.processNotifications(roster('deleted', [participant('a')]));
    await bot.processNotifications(roster('deleted', [participant('zzz')])); // unknown: no change
    const events = rec.of('rosterUpdated');
    expect(events).toHaveLength(2);
    expect(events[1]!.removed.map((p) => p.id)).toEqual(['p-a']);
    expect(events[1]!.participants.map((p) => p.id)).toEqual(['p-b']);
  });

  it('moves a participant first known without id to its id once Graph gives one', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(roster('updated', [participant('a', { id: null })]));
    await bot.processNotifications(roster('updated', [participant('a', { id: 'real-id' })]));
    const events = rec.of('rosterUpdated');
    expect(events[1]!.updated).toHaveLength(1);
    expect(events[1]!.participants.map((p) => p.id)).toEqual(['real-id']);
    expect((await bot.getCall(CALL))!.roster.map(({ id, identity }) => ({ id, identity }))).toEqual([{ id: 'real-id', identity: undefined }]);
  });

  it('keeps a participant under its id when a later update comes without one', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(roster('updated', [participant('a')]));
    await bot.processNotifications(roster('updated', [participant('a', { id: null, isMuted: true })]));
    expect(rec.of('rosterUpdated').map((e) => [e.added.length, e.updated.length])).toEqual([[1, 0], [0, 1]]);
    expect((await bot.getCall(CALL))!.roster.map((e) => e.id)).toEqual(['p-a']);
  });

  it('ignores an update older than the applied rosterSequenceNumber', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(roster('updated', [participant('a', { rosterSequenceNumber: 5, isMuted: true })]));
    await bot.processNotifications(roster('updated', [participant('a', { rosterSequenceNumber: 4, isMuted: false })]));
    await bot.processNotifications(roster('updated', [participant('a', { rosterSequenceNumber: 6, isMuted: false })]));
    const events = rec.of('rosterUpdated');
    expect(events).toHaveLength(2);
    expect(events[1]!.participants[0]!.isMuted).toBe(false);
  });

  it('does not bring back a participant by a late update older than its removal', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(roster('updated', [participant('a', { rosterSequenceNumber: 1 })]));
    await bot.processNotifications(roster('deleted', [participant('a', { rosterSequenceNumber: 3 })]));
    await bot.processNotifications(roster('updated', [participant('a', { rosterSequenceNumber: 2, isMuted: true })]));
    expect(rec.of('rosterUpdated')).toHaveLength(2);
    expect((await bot.getCall(CALL))!.roster).toEqual([]);
  });

  it('keeps unknown fields of live deliveries', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    const live = participant('a', { meetingRole: 'attendee', publishedStates: [], isIdentityAnonymized: false, info: { identity: { user: { id: 'a', tenantId: null } }, endpointType: 'Default', endpointId: 'e1', clientVersion: 'x' } });
    await bot.processNotifications({ value: [{ changeType: 'Updated', resource: `/app/calls/${CALL}/participants`, resourceData: [live] }] });
    expect(rec.of('rosterUpdated')[0]!.participants[0]).toEqual(live);
  });

  it('names the invitation each added participant answers (joined), and none for strangers', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    // An invitation sent by this bot, seen through the store as another process would have written it.
    await bot.store.updateCall(CALL, () => ({
      record: {
        callId: CALL, roster: [], removed: [], recent: [], updatedAt: Date.now(),
        operations: [{ key: 'c:ctx', id: 'op', clientContext: 'ctx', status: 'running', kind: 'invite', sent: true, participants: [{ identity: { user: { id: 'A' } } }], createdAt: Date.now() }],
      },
      effects: [],
      value: undefined,
    }));
    await bot.processNotifications(roster('updated', [participant('a'), participant('stranger')]));
    const [event] = rec.of('rosterUpdated');
    expect(event!.added).toHaveLength(2);
    expect(event!.joined).toHaveLength(1);
    expect(event!.joined[0]).toMatchObject({ participant: { id: 'p-a' }, invitation: { clientContext: 'ctx', id: 'op', callId: CALL } });
  });

  it('applies beta delta rosters in sequence, and a late one to whom no later delta changed', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    const delta = (sequenceNumber: number, participants: Participant[]) => ({
      value: [{ changeType: 'updated', resourceUrl: `/communications/calls/${CALL}/participants`, resourceData: { '@odata.type': '#microsoft.graph.deltaParticipants', sequenceNumber, participants } }],
    });
    await bot.processNotifications(delta(1, [participant('a'), participant('b')]));
    await bot.processNotifications(delta(3, [participant('a', { isMuted: true }), participant('b', { removedState: { reason: 'left' } })]));
    // Late (numbered below the last applied): c is new; a and b were changed by delta 3 already.
    await bot.processNotifications(delta(2, [participant('c'), participant('a', { isMuted: false }), participant('b')]));
    const events = rec.of('rosterUpdated');
    expect(events.map((e) => [e.added.length, e.updated.length, e.removed.length])).toEqual([[2, 0, 0], [0, 1, 1], [1, 0, 0]]);
    expect(events[1]!.participants.map((p) => p.id)).toEqual(['p-a']);
    expect(events[2]!.participants.map((p) => [p.id, p.isMuted])).toEqual([['p-a', true], ['p-c', false]]);
    expect((await bot.getCall(CALL))!.rosterSequence).toBe(3);
  });

  describe('a big meeting (full rosters looked up through a table)', () => {
    const users = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `u${from + i}`);

    it('updates only who changed, in join order, and removes many at once', async () => {
      const bot = newBot();
      const rec = recordEvents(bot);
      await bot.processNotifications(roster('updated', users(0, 60).map((u) => participant(u))));
      // The full roster again: three muted, two new; then twenty leave in one notification.
      await bot.processNotifications(roster('updated', users(0, 62).map((u, i) => participant(u, { isMuted: i % 20 === 7 }))));
      await bot.processNotifications(roster('deleted', users(10, 30).map((u) => participant(u))));
      const [first, second, third] = rec.of('rosterUpdated');
      expect(first!.added).toHaveLength(60);
      expect(second!.updated.map((p) => p.id)).toEqual(['p-u7', 'p-u27', 'p-u47']);
      expect(second!.added.map((p) => p.id)).toEqual(['p-u60', 'p-u61']);
      expect(third!.removed).toHaveLength(20);
      const expected = [...users(0, 10), ...users(30, 62)].map((u) => `p-${u}`);
      expect(third!.participants.map((p) => p.id)).toEqual(expected);
      expect((await bot.getCall(CALL))!.roster.map((e) => e.id)).toEqual(expected);
      expect((await bot.getCall(CALL))!.removed).toHaveLength(20);
    });

    it('gives ids to participants first known by identity, and keeps those who left out', async () => {
      const bot = newBot();
      const rec = recordEvents(bot);
      await bot.processNotifications(roster('updated', users(0, 40).map((u) => participant(u, { id: null, rosterSequenceNumber: 1 }))));
      await bot.processNotifications(roster('deleted', [participant('u3', { id: null, rosterSequenceNumber: 2 })]));
      // Graph names the ids; u3's update is older than its departure.
      await bot.processNotifications(roster('updated', users(0, 40).map((u) => participant(u, { rosterSequenceNumber: u === 'u3' ? 1 : 3 }))));
      const last = rec.of('rosterUpdated').at(-1)!;
      expect(last.updated).toHaveLength(39);
      expect(last.added).toHaveLength(0);
      const record = (await bot.getCall(CALL))!;
      expect(record.roster).toHaveLength(39);
      expect(record.roster.every((e) => e.id === `p-${e.participant.info!.identity!.user!.id}` && e.identity === undefined)).toBe(true);
      expect(record.roster.map((e) => e.id)).toEqual(users(0, 40).filter((u) => u !== 'u3').map((u) => `p-${u}`));
    });
  });
});
