import { describe, it, expect, afterEach } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { CallingBot, upgradeCallRecord, type CallRecord, type CommsNotifications } from '@graph-comms/core';
import { recordEvents } from '../../../test/helpers/recorder.js';

// A record as earlier versions wrote it: roster, departures and operations as keyed tables.
const tableShaped = (): CallRecord => JSON.parse(readFileSync(new URL('../../../test/fixtures/records/table-shaped-record.json', import.meta.url), 'utf8')) as CallRecord;
const CALL = 'call-old';
const at = (path: string, changeType: string, resourceData: unknown): CommsNotifications => ({ value: [{ changeType, resourceUrl: `/communications/calls/${CALL}${path}`, resourceData }] });

let bot: CallingBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

describe('records written by earlier versions', () => {
  it('are read as arrays, every entry keeping who it is', () => {
    const record = upgradeCallRecord(tableShaped());
    expect(record.roster.map(({ id, identity }) => ({ id, identity }))).toEqual([{ id: 'p-a', identity: undefined }, { id: undefined, identity: 'user:b' }]);
    expect(record.roster[0]!.seq).toBe(3);
    expect(record.removed).toEqual([{ id: 'p-gone', seq: 5, at: 4102444800000 }]);
    expect(record.operations.map((o) => o.key)).toEqual(['c:ctx-old']);
  });

  it('know their invites by kind: sentByBot and invited become sent, kind and participants', () => {
    expect(upgradeCallRecord(tableShaped()).operations[0]).toMatchObject({ kind: 'unknown', sent: false });
    const old = (operation: object) => ({ ...upgradeCallRecord(tableShaped()), operations: [{ key: 'c:x', id: 'x', clientContext: 'x', status: 'running', createdAt: 1, ...operation }] }) as unknown as CallRecord;
    const [invite] = upgradeCallRecord(old({ sentByBot: true, invited: [{ identity: { user: { id: 'z' } } }] })).operations;
    expect(invite).toMatchObject({ kind: 'invite', sent: true, participants: [{ identity: { user: { id: 'z' } } }] });
    expect(invite).not.toHaveProperty('sentByBot');
    expect(invite).not.toHaveProperty('invited');
    const [prompt] = upgradeCallRecord(old({ sentByBot: false, operation: { '@odata.type': '#microsoft.graph.playPromptOperation' } })).operations;
    expect(prompt).toMatchObject({ kind: 'playPrompt', sent: false });
  });

  it('are returned as they are when already current', () => {
    const current = upgradeCallRecord(tableShaped());
    expect(upgradeCallRecord(current)).toBe(current);
  });

  it('go on being updated by the state machine, with nothing duplicated or brought back', async () => {
    bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false });
    const rec = recordEvents(bot);
    const old = { ...tableShaped(), updatedAt: Date.now() }; // not idle, or the memory store would drop it
    // As a persistent store hands it over: upgraded where the store parses it.
    await bot.store.updateCall(CALL, () => ({ record: upgradeCallRecord(old), effects: [], value: undefined }));
    await bot.processNotifications(at('/participants', 'updated', [
      { id: 'p-a', info: { identity: { user: { id: 'a' } } }, isMuted: true, rosterSequenceNumber: 4 },
      { id: 'p-b', info: { identity: { user: { id: 'b' } } }, isMuted: false },
      { id: 'p-gone', info: { identity: { user: { id: 'g' } } }, isMuted: false, rosterSequenceNumber: 4 },
    ]));
    await bot.processNotifications(at('/operations/op-old', 'deleted', { id: 'op-old', clientContext: 'ctx-old', status: 'completed' }));
    const [roster] = rec.of('rosterUpdated');
    expect(roster!.updated.map((p) => p.id)).toEqual(['p-a', 'p-b']);
    expect(roster!.added).toEqual([]);
    expect(roster!.participants.map((p) => p.id)).toEqual(['p-a', 'p-b']);
    expect(rec.of('operationCompleted').map((e) => e.clientContext)).toEqual(['ctx-old']);
    const record = (await bot.getCall(CALL))!;
    expect(record.roster.map((e) => e.id)).toEqual(['p-a', 'p-b']);
    expect(record.operations).toHaveLength(1);
  });
});
