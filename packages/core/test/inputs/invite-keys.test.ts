import { describe, it, expect } from '@jest/globals';
import { InviteValidationError, validateInvite } from '@graph-comms/core';
import { botsWithFakeGraph } from '../../../../test/helpers/bots.js';
import { seed } from '../../../../test/helpers/fixtures.js';

const suite = botsWithFakeGraph();
const user = (id: string, more: Record<string, unknown> = {}) => ({ identity: { user: { id } }, ...more });

// [what, request, path, participantIndex, rule]
const REFUSED: Array<[string, unknown, string, number | undefined, string]> = [
  ['replaceCallId, a typo of replacesCallId', { participants: [user('a', { replaceCallId: 'p2p' })] }, 'participants[0].replaceCallId', 0, 'unknown_field'],
  ['an identity set with usr', { participants: [user('a'), { identity: { usr: { id: 'b' } } }] }, 'participants[1].identity.usr', 1, 'unknown_field'],
  ['an identity with tenantID', { participants: [{ identity: { user: { id: 'a', tenantID: 't' } } }] }, 'participants[0].identity.user.tenantID', 0, 'unknown_field'],
  ['extra on an identity (only invitees and requests take it)', { participants: [{ identity: { phone: { id: '+15555550100', extra: { x: 1 } } } }] }, 'participants[0].identity.phone.extra', 0, 'unknown_field'],
  ['a request-level clientcontext', { participants: [user('a')], clientcontext: 'c' }, 'clientcontext', undefined, 'unknown_field'],
  ['an extra that is not an object', { participants: [user('a', { extra: 'languageId=en' })] }, 'participants[0].extra', 0, 'extra.invalid'],
  ['an extra naming a field of the invitee', { participants: [user('a', { extra: { replacesCallId: 'p2p' } })] }, 'participants[0].extra.replacesCallId', 0, 'extra.invalid'],
  ['an extra naming a field of the request', { participants: [user('a')], extra: { participants: [] } }, 'extra.participants', undefined, 'extra.invalid'],
];

describe('invite: a key the invite types do not name', () => {
  it.each(REFUSED)('refuses %s, naming its path, before any request', async (_what, request, path, participantIndex, rule) => {
    suite.graph.script = () => ({ status: 200, body: { id: 'op', status: 'running' } });
    const error = await suite.newBot().invite('call-1', request as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InviteValidationError);
    expect(error).toMatchObject({ code: 'invite_invalid', rule, path, participantIndex });
    expect((error as Error).message.startsWith(`${path}: `)).toBe(true);
    expect(suite.graph.received).toHaveLength(0);
  });

  it('suggests the field a typo was meant to be', async () => {
    const error = await suite.newBot().invite('call-1', { participants: [user('a', { replaceCallId: 'p2p' })] } as never).catch((e: unknown) => e);
    expect((error as Error).message).toBe('participants[0].replaceCallId: not a field of an invitationParticipantInfo (did you mean replacesCallId?)');
  });

  it('is refused by validateInvite() as well, which sends nothing either', () => {
    expect(() => validateInvite('call-1', { participants: [user('a', { replaceCallId: 'p2p' })] })).toThrow(
      expect.objectContaining({ rule: 'unknown_field', path: 'participants[0].replaceCallId', participantIndex: 0 }),
    );
    expect(() => validateInvite('call-1', { participants: [user('a', { replacesCallId: 'p2p' })] })).not.toThrow();
  });

  it('comes before the other rules: a typo is named rather than what it leads to', async () => {
    // With the typo, participantId seems to lack its replacesCallId.
    const request = { participants: [user('a', { participantId: 'p', replaceCallId: 'meeting' })] };
    await expect(suite.newBot().invite('call-1', request as never)).rejects.toMatchObject({ rule: 'unknown_field', path: 'participants[0].replaceCallId' });
  });

  it("accepts every field of Microsoft's examples, @odata.type at each level included", async () => {
    suite.graph.script = () => ({ status: 200, body: { id: 'op', status: 'running' } });
    await suite.newBot().invite('call-1', seed('ex5-move-participant', 'request'));
    expect(suite.graph.received.at(-1)?.body).toEqual(seed('ex5-move-participant', 'request'));
  });
});
