import { describe, it, expect } from '@jest/globals';
import { RequestValidationError, type CallHandle, type CreateCallRequest } from '@graph-comms/core';
import { botsWithFakeGraph } from '../../../../test/helpers/bots.js';

// What reaches a real HTTP server through the real @microsoft/microsoft-graph-client.
const CALLBACK = 'https://bot.example.com/api/calls';
const suite = botsWithFakeGraph({ callbackUri: CALLBACK });
const sent = () => suite.graph.received.at(-1)?.body;
const accepting = () => {
  suite.graph.script = (request) => (request.path.endsWith('/communications/calls') ? { status: 201, body: { id: 'new-call' } } : { status: 200, body: { id: 'op', status: 'running' } });
  return suite.newBot();
};

describe('extra: fields the types do not name, sent as they are', () => {
  it("merges an invitee's and the request's extra into what is sent, and leaves the request as it was", async () => {
    const request = {
      participants: [{ identity: { user: { id: 'u1' } }, extra: { languageId: 'en-US', region: 'westus' } }],
      clientContext: 'ctx-1',
      extra: { futureFlag: { deep: [1, 2] } },
    };
    const copy = structuredClone(request);
    await accepting().invite('call-1', request);
    expect(sent()).toEqual({ participants: [{ identity: { user: { id: 'u1' } }, languageId: 'en-US', region: 'westus' }], clientContext: 'ctx-1', futureFlag: { deep: [1, 2] } });
    expect(request).toEqual(copy);
  });

  it("merges the extra of a new call's targets, source and request, next to the defaults", async () => {
    const request: CreateCallRequest = {
      targets: [{ identity: { phone: { id: '+15555550100' } }, extra: { countryCode: 'US' } }],
      source: { identity: { applicationInstance: { id: 'instance-1' } }, extra: { platformId: '0' } },
      tenantId: 't1',
      extra: { ringingTimeoutInSeconds: 30 },
    };
    const call = await accepting().createCall(request);
    expect(call.id).toBe('new-call');
    expect(sent()).toEqual({
      targets: [{ identity: { phone: { id: '+15555550100' } }, countryCode: 'US' }],
      source: { identity: { applicationInstance: { id: 'instance-1' } }, platformId: '0' },
      tenantId: 't1',
      ringingTimeoutInSeconds: 30,
      requestedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
      callbackUri: CALLBACK,
    });
  });

  const PER_ACTION: Array<[string, (call: CallHandle) => Promise<unknown>, Record<string, unknown>]> = [
    ['answer', (c) => c.answer({ extra: { futureOption: true } }), { futureOption: true, acceptedModalities: ['audio'], callbackUri: CALLBACK }],
    [
      'redirect',
      (c) => c.redirect({ targets: [{ identity: { user: { id: 'u2' } }, extra: { languageId: 'fr-FR' } }], extra: { targetDisposition: 'forward' } }),
      { targets: [{ identity: { user: { id: 'u2' } }, languageId: 'fr-FR' }], targetDisposition: 'forward' },
    ],
    [
      'transfer',
      (c) => c.transfer({ transferTarget: { identity: { user: { id: 'u3' } }, extra: { x: 1 } }, transferee: { identity: { user: { id: 'u4' } }, extra: { y: 2 } } }),
      { transferTarget: { identity: { user: { id: 'u3' } }, x: 1 }, transferee: { identity: { user: { id: 'u4' } }, y: 2 } },
    ],
    ['playPrompt', (c) => c.playPrompt({ prompts: [{ mediaInfo: { uri: 'https://cdn.contoso.com/a.wav' } }], extra: { loop: 3 } }), { loop: 3 }],
    ['subscribeToTone', (c) => c.subscribeToTone({ extra: { probe: 'x' } }), { probe: 'x' }],
  ];

  it.each(PER_ACTION)('%s sends its extra merged into the body', async (_action, run, expected) => {
    await run(accepting().call('call-1'));
    expect(sent()).toMatchObject(expected);
    expect(JSON.stringify(sent())).not.toContain('"extra"');
  });

  it('sends nothing for an extra left undefined', async () => {
    await accepting().call('call-1').mute({ clientContext: 'c', extra: undefined });
    expect(sent()).toEqual({ clientContext: 'c' });
  });

  it('refuses an extra on an action that takes none, and sends nothing', async () => {
    const bot = accepting();
    const error = await bot.call('call-1').playPrompt({ prompts: [{ mediaInfo: { uri: 'https://a/b.wav', extra: { x: 1 } } as never }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error).toMatchObject({ rule: 'unknown_field', path: 'prompts[0].mediaInfo.extra' });
    await expect(bot.call('call-1').answer({ extra: { acceptedModalities: ['video'] } })).rejects.toMatchObject({ rule: 'extra.invalid', path: 'extra.acceptedModalities' });
    await expect(bot.call('call-1').reject({ extra: [1] as never })).rejects.toMatchObject({ rule: 'extra.invalid', path: 'extra' });
    expect(suite.graph.received).toHaveLength(0);
  });

  it('takes @odata.type wherever Graph does, and sends it as given', async () => {
    const request: CreateCallRequest = {
      '@odata.type': '#microsoft.graph.call',
      targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id: 'u1' } } }],
      meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { user: { id: 'o1' } }, allowConversationWithoutHost: true },
      chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: '19:x@thread.v2', messageId: '0' },
      callOptions: { '@odata.type': '#microsoft.graph.outgoingCallOptions', isContentSharingNotificationEnabled: true },
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig', preFetchMedia: [{ '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://a/b.wav', resourceId: 'r1' }] },
    };
    await accepting().createCall(request);
    expect(sent()).toMatchObject(request);
  });
});
