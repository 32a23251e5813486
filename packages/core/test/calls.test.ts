import { describe, it, expect } from '@jest/globals';
import type { CallingBot, CommsNotifications } from '@graph-comms/core';
import { botsWithFakeGraph } from '../../../test/helpers/bots.js';
import { seed } from '../../../test/helpers/fixtures.js';
import { recordEvents } from '../../../test/helpers/recorder.js';

const GROUP = 'ab6233a5-20b7-4c5e-bea2-ce56c9776429';
const P2P = 'a7ebfb2d-871e-419c-87af-27290b22e8db';
const ENDED = { code: 200, subcode: 5001, message: 'The conversation has ended.' };

const callNotification = (callId: string, changeType: string, state?: string, extra: Record<string, unknown> = {}): CommsNotifications => ({
  value: [{ changeType, resourceUrl: `/communications/calls/${callId}`, resourceData: { '@odata.type': '#microsoft.graph.call', id: callId, ...(state ? { state } : {}), ...extra } }],
});
const terminating = (callId: string) => callNotification(callId, 'updated', 'terminating');
const terminated = (callId: string) => callNotification(callId, 'deleted', 'terminated', { resultInfo: ENDED });

const suite = botsWithFakeGraph({ appId: 'app' });
const newBot = () => suite.newBot();

describe('call state', () => {
  it('follows establishing → established → terminating → terminated, with callTerminated once', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(callNotification('c1', 'created', 'incoming'));
    await bot.processNotifications(callNotification('c1', 'updated', 'Established', { callChainId: 'chain' }));
    await bot.processNotifications(callNotification('c1', 'updated', 'established', { callChainId: 'chain' })); // a repeat in other casing
    await bot.processNotifications(terminating('c1'));
    await bot.processNotifications(terminated('c1'));
    await bot.processNotifications(terminated('c1'));
    await bot.processNotifications(callNotification('c1', 'Deleted'));
    expect(rec.of('callUpdated').map((e) => e.state)).toEqual(['incoming', 'established', 'terminating', 'terminated']);
    expect(rec.of('callTerminated')).toEqual([{ eventId: expect.any(String), callId: 'c1', resultInfo: ENDED, reason: 'ended: the conversation has ended' }]);
    expect(rec.of('callUpdated')[1]!.call).toMatchObject({ callChainId: 'chain', state: 'established' });
  });

  it('absorbs a terminating that arrives after terminated', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications(terminated('c2'));
    await bot.processNotifications(terminating('c2'));
    expect(rec.names()).toEqual(['callUpdated', 'callTerminated']);
    expect((await bot.getCall('c2'))!.state).toBe('terminated');
  });

  it('ends a call deleted without a resource', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications({ value: [{ changeType: 'deleted', resource: '/app/calls/c3' }] });
    expect(rec.of('callTerminated')).toEqual([{ eventId: expect.any(String), callId: 'c3' }]);
  });
});

describe('peer-to-peer replacement (seed 001 example 3)', () => {
  async function inviteReplacing(bot: CallingBot) {
    suite.graph.script = () => ({ status: 200, body: seed('ex3-replace-p2p', 'response') });
    return bot.invite(GROUP, seed('ex3-replace-p2p', 'request'));
  }

  it('fires p2pReplaced once when the invite completes first and the p2p call ends after', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    const invitation = await inviteReplacing(bot);
    await bot.processNotifications(seed('ex3-replace-p2p', 'notification-operation'));
    expect(rec.of('p2pReplaced')).toHaveLength(0);
    await bot.processNotifications(terminating(P2P));
    expect(rec.of('p2pReplaced')).toHaveLength(0);
    await bot.processNotifications(terminated(P2P));
    await bot.processNotifications(terminated(P2P));
    expect(rec.of('p2pReplaced')).toEqual([
      { eventId: expect.any(String), groupCallId: GROUP, replacedCallId: P2P, operationId: invitation.id, clientContext: invitation.clientContext, participant: seed('ex3-replace-p2p', 'request').participants[0] },
    ]);
    expect(rec.of('participantMoved')).toHaveLength(0);
  });

  it('fires p2pReplaced once when the p2p call ends before the invite completes', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await inviteReplacing(bot);
    await bot.processNotifications(terminated(P2P));
    expect(rec.of('p2pReplaced')).toHaveLength(0);
    await bot.processNotifications(seed('ex3-replace-p2p', 'notification-operation'));
    await bot.processNotifications(seed('ex3-replace-p2p', 'notification-operation'));
    expect(rec.of('p2pReplaced')).toHaveLength(1);
    expect(rec.names().filter((n) => n === 'operationCompleted')).toHaveLength(1);
  });

  it('does not fire when the replacing invite failed', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await inviteReplacing(bot);
    const failed = seed('ex3-replace-p2p', 'notification-operation');
    failed.value[0].resourceData.status = 'failed';
    await bot.processNotifications(failed);
    await bot.processNotifications(terminated(P2P));
    expect(rec.of('p2pReplaced')).toHaveLength(0);
    expect(rec.of('operationFailed')).toHaveLength(1);
  });
});

describe('moving a participant (seed 001 example 5)', () => {
  it('fires participantMoved, not p2pReplaced, when the move completes', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    suite.graph.script = () => ({ status: 200, body: seed('ex5-move-participant', 'response') });
    const invitation = await bot.invite(GROUP, seed('ex5-move-participant', 'request'));
    await bot.processNotifications(seed('ex5-move-participant', 'notification-roster'));
    await bot.processNotifications(seed('ex5-move-participant', 'notification-operation'));
    await bot.processNotifications(terminated(P2P));
    expect(rec.of('participantMoved')).toEqual([
      expect.objectContaining({ callId: GROUP, sourceCallId: P2P, participantId: '7d501bf1-5ee4-4605-ba92-0ae4513c611c', operationId: invitation.id, invitation }),
    ]);
    expect(rec.of('p2pReplaced')).toHaveLength(0);
    expect(rec.of('rosterUpdated')[0]!.joined[0]!.invitation).toBe(invitation);
  });
});
