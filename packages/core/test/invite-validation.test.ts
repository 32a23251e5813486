import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { CallingBot, InviteValidationError, type InviteRule, type InvitationParticipantInfo } from '@graph-comms/core';
import { FakeGraph } from '../../../test/helpers/fake-graph.js';

const user = (id: string, extra: Partial<InvitationParticipantInfo> = {}): InvitationParticipantInfo => ({ identity: { user: { id } }, ...extra });
const bot = (id: string): InvitationParticipantInfo => ({ identity: { application: { id } } });
const phone = (id: unknown): InvitationParticipantInfo => ({ identity: { phone: { id } } } as InvitationParticipantInfo);

let graph: FakeGraph;
let calling: CallingBot;
beforeAll(async () => {
  graph = await FakeGraph.start();
  graph.script = () => ({ status: 200, body: { id: 'op', status: 'Running' } });
  calling = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, graphClient: graph.client() });
});
afterAll(async () => {
  await calling.close();
  await graph.close();
});

const cases: Array<[string, unknown, InviteRule, number | undefined, string?]> = [
  ['no participants', { participants: [] }, 'participants.missing', undefined],
  ['participants not an array', { participants: 'alice' }, 'participants.missing', undefined],
  ['no request at all', undefined, 'participants.missing', undefined],
  ['six participants', { participants: ['1', '2', '3', '4', '5', '6'].map((i) => user(i)) }, 'participants.tooMany', undefined],
  ['a participant that is not an object', { participants: [user('a'), 42] }, 'participants.notAnObject', 1],
  ['two participants with replacesCallId', { participants: [user('a'), user('b', { replacesCallId: 'p2p' })] }, 'replace.singleParticipant', 1],
  ['two participants with a move', { participants: [user('a', { replacesCallId: 'm', participantId: 'p' }), user('b')] }, 'replace.singleParticipant', 0],
  ['participantId without replacesCallId', { participants: [user('a', { participantId: 'p' })] }, 'move.requiresReplacesCallId', 0],
  ['two bots', { participants: [bot('b1'), user('u'), { identity: { applicationInstance: { id: 'b2' } } }] }, 'bots.tooMany', 2],
  ['no identity', { participants: [{ replacesCallId: null }] }, 'identity.missing', 0],
  ['an identity set naming no identity', { participants: [user('a'), { identity: { user: null, application: { displayName: 'x' } } }] }, 'identity.missing', 1],
  ['the same identity twice', { participants: [user('A-1'), user('a-1')] }, 'identity.duplicate', 1],
  ['a phone number without +', { participants: [phone('12345678901')] }, 'phone.notE164', 0],
  ['a phone number with 16 digits', { participants: [phone('+1234567890123456')] }, 'phone.notE164', 0],
  ['a phone number with letters', { participants: [phone('+1-800-FLOWERS')] }, 'phone.notE164', 0],
  ['a phone identity without id', { participants: [user('u'), { identity: { user: { id: 'v' }, phone: {} } }] }, 'phone.notE164', 1],
  ['a clientContext of 257 characters', { participants: [user('a')], clientContext: 'x'.repeat(257) }, 'clientContext.tooLong', undefined],
  ['an empty clientContext', { participants: [user('a')], clientContext: '' }, 'clientContext.invalid', undefined],
  ['a clientContext that is not a string', { participants: [user('a')], clientContext: 7 }, 'clientContext.invalid', undefined],
  ['a replacesCallId that is not a string', { participants: [user('a', { replacesCallId: 5 as unknown as string })] }, 'identity.invalid', 0],
];

describe('invite validation', () => {
  it.each(cases)('refuses %s without an HTTP call', async (_name, request, rule, index) => {
    const before = graph.received.length;
    const error = await calling.invite('call-1', request as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InviteValidationError);
    expect(error).toMatchObject({ rule, participantIndex: index, code: 'invite_invalid' });
    if (index !== undefined) expect((error as Error).message).toContain(`participants[${index}]`);
    expect(graph.received.length).toBe(before);
  });

  it.each([
    ['an empty call id', ''],
    ['a call id with a slash', '../../users'],
  ])('refuses %s', async (_name, callId) => {
    await expect(calling.invite(callId, { participants: [user('a')] })).rejects.toMatchObject({ rule: 'callId.invalid' });
  });

  it.each([
    ['five participants', { participants: ['1', '2', '3', '4', '5'].map((i) => user(i)) }],
    ['one bot and users', { participants: [bot('b'), user('u')] }],
    ['a 256-character clientContext', { participants: [user('a')], clientContext: 'y'.repeat(256) }],
    ['an E.164 number of 15 digits', { participants: [phone('+123456789012345')] }],
    ['a move', { participants: [user('a', { replacesCallId: 'm', participantId: 'p' })] }],
    ['the same id under two kinds', { participants: [user('same'), { identity: { guest: { id: 'same' } } }] }],
  ])('accepts %s', async (_name, request) => {
    await expect(calling.invite('call-ok', request as never)).resolves.toMatchObject({ id: 'op' });
  });
});
