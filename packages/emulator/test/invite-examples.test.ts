/**
 * The five examples of Graph's invite page (seed 001), sent with the real Graph
 * client: the responses and the callbacks must be shaped like the page's.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from '@jest/globals';
import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import { DEFAULT_TENANT_ID, GraphEmulator, type CommsNotifications, type JsonObject } from '../src/index.js';
import { TestBot, graphClient } from './helpers.js';

const TENANT = DEFAULT_TENANT_ID; // the seed's tenant, 72f988bf-...
const GROUP_CALL = 'ab6233a5-20b7-4c5e-bea2-ce56c9776429';
const REPLACED_CALL = 'a7ebfb2d-871e-419c-87af-27290b22e8db';
const CONTEXT = 'f2fa86af-3c51-4bc2-8fc0-475452d9764f';

/** A user identity exactly as the page's requests write it. */
function seedUser(id: string): JsonObject {
  return {
    '@odata.type': '#microsoft.graph.identitySet',
    user: { '@odata.type': '#microsoft.graph.identity', id, identityProvider: 'AAD' },
  };
}

/** The user identity as the page's callbacks write it (tenant filled in). */
function notifiedUser(id: string): JsonObject {
  return {
    '@odata.type': '#microsoft.graph.identitySet',
    user: { '@odata.type': '#microsoft.graph.identity', id, identityProvider: 'AAD', tenantId: TENANT },
  };
}

/** The roster entry of the page's "roster updated" notifications (ids and counters vary). */
function rosterEntry(identity: JsonObject): JsonObject {
  return {
    '@odata.type': '#microsoft.graph.participant',
    info: { '@odata.type': '#microsoft.graph.participantInfo', identity, endpointType: 'default' },
    mediaStreams: [{ '@odata.type': '#microsoft.graph.mediaStream', mediaType: 'audio', direction: 'sendReceive', serverMuted: false }],
    isMuted: false,
    isInLobby: false,
  };
}

/** The page's "operation completed" notification. */
function operationCompleted(callId: string, operationId: string, identities: JsonObject[]): CommsNotifications {
  return {
    '@odata.type': '#microsoft.graph.commsNotifications',
    value: [
      {
        '@odata.type': '#microsoft.graph.commsNotification',
        changeType: 'deleted',
        resource: `/app/calls/${callId}/operations/${operationId}`,
        resourceUrl: `/communications/calls/${callId}/operations/${operationId}`,
        resourceData: {
          '@odata.type': '#microsoft.graph.inviteParticipantsOperation',
          participants: identities.map((identity) => ({ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity })),
          status: 'completed',
          clientContext: CONTEXT,
          id: operationId,
        },
      },
    ],
  };
}

async function invite(client: Client, callId: string, body: JsonObject, version = 'v1.0') {
  const response = (await client
    .api(`/communications/calls/${callId}/participants/invite`)
    .version(version)
    .responseType(ResponseType.RAW)
    .post(body)) as Response;
  return { status: response.status, location: response.headers.get('location'), body: (await response.json()) as JsonObject };
}

describe('the invite page examples (seed 001)', () => {
  let emulator: GraphEmulator;
  let bot: TestBot;
  let client: Client;

  beforeAll(async () => {
    bot = await TestBot.start();
  });
  afterAll(async () => {
    await bot.close();
  });
  beforeEach(async () => {
    bot.reset();
    emulator = await GraphEmulator.start();
    client = graphClient(emulator);
  });
  afterEach(async () => {
    await emulator.close();
  });

  it('example 1: invites one participant (beta), answering the running operation with a Location header', async () => {
    emulator.createCall({ id: GROUP_CALL, callbackUri: bot.url(), kind: 'group', participants: [seedUser('4e3a1c2f-0000-4000-8000-000000000001')] });
    const body = {
      participants: [
        {
          '@odata.type': '#microsoft.graph.invitationParticipantInfo',
          replacesCallId: REPLACED_CALL,
          identity: seedUser('278405a3-f568-4b3e-b684-009193463064'),
        },
      ],
      clientContext: CONTEXT,
    };
    const response = await invite(client, GROUP_CALL, body, 'beta');

    expect(response.status).toBe(200);
    const operationId = String(response.body.id);
    expect(response.location).toBe(`${emulator.url}beta/communications/calls/${GROUP_CALL}/operations/${operationId}`);
    expect(response.body).toEqual({
      '@odata.type': '#microsoft.graph.inviteParticipantsOperation',
      id: operationId,
      status: 'Running',
      clientContext: CONTEXT,
      resultInfo: null,
      participants: [
        {
          endpointType: null,
          id: null,
          replacesCallId: REPLACED_CALL,
          identity: {
            user: { id: '278405a3-f568-4b3e-b684-009193463064', identityProvider: 'AAD', tenantId: TENANT },
            guest: null,
            encrypted: null,
            onPremises: null,
            applicationInstance: null,
            application: null,
            device: null,
            phone: null,
          },
        },
      ],
    });

    await emulator.idle();
    // The replaced call is unknown to the emulator here: only the two callbacks of the invite.
    expect(bot.received.map((r) => r.body.value[0]?.resourceUrl)).toEqual([
      `/communications/calls/${GROUP_CALL}/participants`,
      `/communications/calls/${GROUP_CALL}/operations/${operationId}`,
    ]);
    // The page's roster example names the invitee as an `application`: a slip of the page; Graph echoes the invitee.
    expect(bot.received[0]?.body).toMatchObject({
      '@odata.type': '#microsoft.graph.commsNotifications',
      value: [
        {
          '@odata.type': '#microsoft.graph.commsNotification',
          changeType: 'updated',
          resource: `/app/calls/${GROUP_CALL}/participants`,
          resourceUrl: `/communications/calls/${GROUP_CALL}/participants`,
          resourceData: [rosterEntry(notifiedUser('278405a3-f568-4b3e-b684-009193463064'))],
        },
      ],
    });
    expect(bot.received[1]?.body).toEqual(operationCompleted(GROUP_CALL, operationId, [notifiedUser('278405a3-f568-4b3e-b684-009193463064')]));
  });

  it('example 2: invites two participants to a group call; roster entries get ids and increasing sequence numbers', async () => {
    const groupCall = '7531d31f-d10d-44de-802f-c569dbca451c';
    emulator.createCall({ id: groupCall, callbackUri: bot.url(), chatInfo: { threadId: '19:meeting@thread.v2' }, participants: [] });
    const response = await invite(client, groupCall, {
      participants: [
        { '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: seedUser('7e1b4346-85a6-4bdd-abe3-d11c5d420efe') },
        { '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: seedUser('1e126418-44a0-4a94-a6f8-0efe1ad71acb') },
      ],
      clientContext: CONTEXT,
    });
    expect(response.status).toBe(200);
    expect((response.body.participants as JsonObject[]).map((p) => p.replacesCallId)).toEqual([null, null]);

    await emulator.idle();
    const [roster, outcome] = bot.received.map((r) => r.body.value[0]);
    const entries = roster?.resourceData as JsonObject[];
    expect(entries).toMatchObject([
      rosterEntry(notifiedUser('7e1b4346-85a6-4bdd-abe3-d11c5d420efe')),
      rosterEntry(notifiedUser('1e126418-44a0-4a94-a6f8-0efe1ad71acb')),
    ]);
    expect(entries.map((e) => typeof e.id)).toEqual(['string', 'string']);
    // Both joined in one roster change, after the bot's own entry (sequence 1).
    expect(entries.map((e) => e.rosterSequenceNumber)).toEqual([2, 2]);
    expect(outcome).toEqual(
      operationCompleted(groupCall, String(response.body.id), [
        notifiedUser('7e1b4346-85a6-4bdd-abe3-d11c5d420efe'),
        notifiedUser('1e126418-44a0-4a94-a6f8-0efe1ad71acb'),
      ]).value[0],
    );
    expect(emulator.getCall(groupCall)?.participants).toHaveLength(3);
  });

  it('example 2 as printed (both with replacesCallId): refused by default, first participant only under firstOnly', async () => {
    const body = {
      participants: ['7e1b4346-85a6-4bdd-abe3-d11c5d420efe', '1e126418-44a0-4a94-a6f8-0efe1ad71acb'].map((id) => ({
        '@odata.type': '#microsoft.graph.invitationParticipantInfo',
        replacesCallId: REPLACED_CALL,
        identity: seedUser(id),
      })),
      clientContext: CONTEXT,
    };
    const strictCall = emulator.createCall({ callbackUri: bot.url(), kind: 'group' });
    const refused = await invite(client, strictCall.id, body);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 'BadRequest', message: expect.stringContaining('replacesCallId') } });

    const lenient = await GraphEmulator.start({ replacesCallIdPolicy: 'firstOnly' });
    try {
      const call = lenient.createCall({ callbackUri: bot.url(), kind: 'group' });
      const accepted = await invite(graphClient(lenient), call.id, body);
      expect(accepted.status).toBe(200);
      expect(accepted.body.participants).toHaveLength(1);
      await lenient.idle();
      const roster = bot.about(call.id).find((n) => n.resourceUrl.endsWith('/participants'));
      expect(roster?.resourceData).toMatchObject([rosterEntry(notifiedUser('7e1b4346-85a6-4bdd-abe3-d11c5d420efe'))]);
    } finally {
      await lenient.close();
    }
  });

  it('example 3: replacing a peer-to-peer call ends the replaced call, with its own callbacks to its own callbackUri', async () => {
    emulator.createCall({ id: GROUP_CALL, callbackUri: bot.url('/api/group'), kind: 'group' });
    emulator.createCall({ id: REPLACED_CALL, callbackUri: bot.url('/api/p2p'), participants: [seedUser('7e1b4346-85a6-4bdd-abe3-d11c5d420efe')] });
    expect(emulator.getCall(REPLACED_CALL)?.kind).toBe('peerToPeer');

    const response = await invite(client, GROUP_CALL, {
      participants: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', replacesCallId: REPLACED_CALL, identity: seedUser('7e1b4346-85a6-4bdd-abe3-d11c5d420efe') }],
      clientContext: CONTEXT,
    });
    expect(response.status).toBe(200);
    await emulator.idle();

    const group = bot.received.filter((r) => r.path === '/api/group').map((r) => r.body.value[0]);
    expect(group.map((n) => n?.changeType)).toEqual(['updated', 'deleted']);
    expect(group[1]).toEqual(operationCompleted(GROUP_CALL, String(response.body.id), [notifiedUser('7e1b4346-85a6-4bdd-abe3-d11c5d420efe')]).value[0]);

    const replaced = bot.received.filter((r) => r.path === '/api/p2p').map((r) => r.body.value[0]);
    expect(replaced).toMatchObject([
      {
        changeType: 'updated',
        resource: `/app/calls/${REPLACED_CALL}`,
        resourceUrl: `/communications/calls/${REPLACED_CALL}`,
        resourceData: { '@odata.type': '#microsoft.graph.call', id: REPLACED_CALL, state: 'terminating' },
      },
      {
        changeType: 'deleted',
        resourceUrl: `/communications/calls/${REPLACED_CALL}`,
        resourceData: {
          '@odata.type': '#microsoft.graph.call',
          state: 'terminated',
          resultInfo: { code: 200, subcode: 5001, message: 'The conversation has ended.' },
        },
      },
    ]);
    expect(emulator.getCall(REPLACED_CALL)?.state).toBe('terminated');
  });

  it('example 4: invites a PSTN participant like a user', async () => {
    emulator.createCall({ id: GROUP_CALL, callbackUri: bot.url(), kind: 'group' });
    const phone = { '@odata.type': '#microsoft.graph.identity', id: '+12345678901' };
    const response = await invite(
      client,
      GROUP_CALL,
      {
        participants: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { '@odata.type': '#microsoft.graph.identitySet', phone } }],
        clientContext: CONTEXT,
      },
      'beta',
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'Running',
      participants: [{ endpointType: null, id: null, replacesCallId: null, identity: { user: null, application: null, device: null, phone: { id: '+12345678901' } } }],
    });
    await emulator.idle();
    const phoneSet = { '@odata.type': '#microsoft.graph.identitySet', phone };
    expect(bot.received[0]?.body.value[0]?.resourceData).toMatchObject([rosterEntry(phoneSet)]);
    expect(bot.received[1]?.body).toEqual(operationCompleted(GROUP_CALL, String(response.body.id), [phoneSet]));
  });

  it('example 5: moving a participant between meetings takes it off the source meeting roster', async () => {
    const mover = '682b6c37-0729-4fab-ace6-d730d5d9137e';
    const source = emulator.createCall({ id: REPLACED_CALL, callbackUri: bot.url('/api/source'), kind: 'meeting', participants: [seedUser(mover)] });
    emulator.createCall({ id: GROUP_CALL, callbackUri: bot.url('/api/target'), kind: 'meeting' });
    const moving = source.participants.find((p) => JSON.stringify(p.info).includes(mover));
    const participantId = String(moving?.id);

    const response = await invite(client, GROUP_CALL, {
      participants: [
        {
          '@odata.type': '#microsoft.graph.invitationParticipantInfo',
          replacesCallId: REPLACED_CALL,
          participantId,
          identity: seedUser(mover),
        },
      ],
      clientContext: CONTEXT,
    });
    expect(response.status).toBe(200);
    expect((response.body.participants as JsonObject[])[0]).toMatchObject({ replacesCallId: REPLACED_CALL, participantId });
    await emulator.idle();

    const target = bot.received.filter((r) => r.path === '/api/target').map((r) => r.body.value[0]);
    expect(target[0]?.resourceData).toMatchObject([rosterEntry(notifiedUser(mover))]);
    expect(target[1]).toEqual(operationCompleted(GROUP_CALL, String(response.body.id), [notifiedUser(mover)]).value[0]);

    const left = bot.received.filter((r) => r.path === '/api/source').map((r) => r.body.value[0]);
    expect(left).toMatchObject([
      { changeType: 'deleted', resourceUrl: `/communications/calls/${REPLACED_CALL}/participants`, resourceData: [{ id: participantId }] },
    ]);
    expect(emulator.getCall(REPLACED_CALL)?.participants.map((p) => p.id)).not.toContain(participantId);
    expect(emulator.getCall(REPLACED_CALL)?.state).toBe('established');
  });
});
