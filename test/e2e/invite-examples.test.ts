import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import type { InvitationParticipantInfo } from '@graph-comms/core';
import { startStack, type Stack } from '../helpers/stack.js';

const user = (id: string): InvitationParticipantInfo => ({ identity: { user: { id, identityProvider: 'AAD' } } });
const ids = (events: Array<{ participant: { info?: { identity?: unknown } | null } }>) =>
  events.map((j) => JSON.stringify(j.participant.info?.identity)).sort();

let stack: Stack;
beforeEach(async () => {
  stack = await startStack();
});
afterEach(() => stack.close());

describe('end to end: the five examples of the invite page', () => {
  it('1. invites one participant: roster joined and operation completed, each once, correlated', async () => {
    const { emulator, bot, rec, callbackUri } = stack;
    const call = emulator.createCall({ callbackUri, kind: 'group' });
    const invitation = await bot.invite(call.id, { participants: [user('278405a3-f568-4b3e-b684-009193463064')] });
    expect(invitation.status).toBe('running');
    await expect(invitation.completion).resolves.toMatchObject({ status: 'completed' });
    await emulator.idle();
    expect(rec.names().sort()).toEqual(['operationCompleted', 'rosterUpdated']);
    expect(rec.of('operationCompleted')[0]).toMatchObject({ callId: call.id, operationId: invitation.id, clientContext: invitation.clientContext });
    expect(rec.of('operationCompleted')[0]!.invitation).toBe(invitation);
    const roster = rec.of('rosterUpdated')[0]!;
    expect(roster.joined.map((j) => j.invitation)).toEqual([invitation]);
    expect(emulator.deliveries.every((d) => d.status === 202)).toBe(true);
  });

  it('2. invites several participants into a group call', async () => {
    const { emulator, bot, rec, callbackUri } = stack;
    const call = emulator.createCall({ callbackUri, kind: 'group' });
    const invitation = await bot.invite(call.id, { participants: [user('7e1b4346-85a6-4bdd-abe3-d11c5d420efe'), user('1e126418-44a0-4a94-a6f8-0efe1ad71acb')] });
    await invitation.completion;
    await emulator.idle();
    expect(rec.of('operationCompleted')).toHaveLength(1);
    const joined = rec.of('rosterUpdated').flatMap((e) => e.joined);
    expect(joined).toHaveLength(2);
    expect(joined.every((j) => j.invitation === invitation)).toBe(true);
    expect(ids(joined)).toHaveLength(2);
  });

  it('3. replaces a peer-to-peer call: p2pReplaced once, after both the outcome and the end of the old call', async () => {
    const { emulator, bot, rec, callbackUri } = stack;
    const p2p = emulator.createCall({ callbackUri, kind: 'peerToPeer', participants: [{ user: { id: 'caller' } }] });
    const group = emulator.createCall({ callbackUri, kind: 'group' });
    const invitation = await bot.invite(group.id, { participants: [{ ...user('caller'), replacesCallId: p2p.id }] });
    await invitation.completion;
    await emulator.idle();
    expect(rec.of('p2pReplaced')).toEqual([
      { eventId: expect.any(String), groupCallId: group.id, replacedCallId: p2p.id, operationId: invitation.id, clientContext: invitation.clientContext, participant: expect.objectContaining({ replacesCallId: p2p.id }) },
    ]);
    expect(rec.of('callTerminated')).toEqual([expect.objectContaining({ callId: p2p.id, resultInfo: expect.objectContaining({ code: 200, subcode: 5001 }) })]);
    expect(rec.of('operationCompleted')).toHaveLength(1);
    expect(rec.names().indexOf('p2pReplaced')).toBeGreaterThan(rec.names().indexOf('operationCompleted'));
  });

  it('4. invites a phone number', async () => {
    const { emulator, bot, rec, callbackUri } = stack;
    const call = emulator.createCall({ callbackUri, kind: 'group' });
    const invitation = await bot.invite(call.id, { participants: [{ identity: { phone: { id: '+12345678901' } } }] });
    await invitation.completion;
    await emulator.idle();
    const joined = rec.of('rosterUpdated').flatMap((e) => e.joined);
    expect(joined).toHaveLength(1);
    expect(joined[0]!.participant.info?.identity?.phone?.id).toBe('+12345678901');
  });

  it('5. moves a participant between meetings: participantMoved once, the source roster loses them', async () => {
    const { emulator, bot, rec, callbackUri } = stack;
    const source = emulator.createCall({ callbackUri, kind: 'meeting', announce: true, participants: [{ user: { id: 'mover' } }] });
    await emulator.idle();
    const target = emulator.createCall({ callbackUri, kind: 'meeting' });
    const participantId = String(emulator.getCall(source.id)!.participants.find((p) => JSON.stringify(p).includes('mover'))!['id']);
    const before = rec.events.length;
    const invitation = await bot.invite(target.id, { participants: [{ ...user('mover'), replacesCallId: source.id, participantId }] });
    await invitation.completion;
    await emulator.idle();
    expect(rec.of('participantMoved')).toEqual([expect.objectContaining({ callId: target.id, sourceCallId: source.id, participantId, invitation })]);
    expect(rec.of('p2pReplaced')).toHaveLength(0);
    const rosters = rec.of('rosterUpdated').slice(-2);
    expect(rec.events.length - before).toBe(4);
    expect(rosters.find((r) => r.callId === source.id)!.removed.map((p) => p.id)).toEqual([participantId]);
    expect(rosters.find((r) => r.callId === target.id)!.joined[0]!.invitation).toBe(invitation);
  });

  it('ends a call deleted through the Graph client: callTerminated once', async () => {
    const { emulator, bot, rec, callbackUri, graphClient } = stack;
    const call = emulator.createCall({ callbackUri, kind: 'group', announce: true });
    await emulator.idle();
    await graphClient.api(`/communications/calls/${call.id}`).delete();
    await emulator.idle();
    expect(rec.of('callTerminated')).toEqual([{ eventId: expect.any(String), callId: call.id, resultInfo: expect.objectContaining({ subcode: 5001 }), reason: 'ended: the conversation has ended' }]);
    expect((await bot.getCall(call.id))!.state).toBe('terminated');
  });
});
