/**
 * `npm start`: a local Graph emulator, the sample bot, and the five examples of Graph's invite
 * page plus a failing invite. Prints each step and each event; exits 0 when every example
 * produced its expected events, non-zero naming what was missing.
 */
import type { AddressInfo } from 'node:net';
import { Client } from '@microsoft/microsoft-graph-client';
import { createGraphTokenVerifier, type CallingBot, type CallingBotEventName, type InvitationParticipantInfo, type InviteRequest } from '@graph-comms/core';
import { GraphEmulator } from '@graph-comms/emulator';
import { createInviteBot, describe, short } from './create-bot.js';

const say = (line: string): void => void process.stdout.write(`${line}\n`);
const user = (id: string): InvitationParticipantInfo => ({ identity: { user: { id, identityProvider: 'AAD' } } });

interface Example {
  title: string;
  /** Sets up calls and returns the call to invite into and the request. */
  prepare(): Promise<{ callId: string; request: InviteRequest }>;
  expected: CallingBotEventName[];
}

const emulator = await GraphEmulator.start();
const graphClient = Client.init({ baseUrl: emulator.url, authProvider: (done) => done(null, 'emulator-token') });
const tokenVerifier = createGraphTokenVerifier({ appId: emulator.appId, openIdConfigurationUrl: emulator.openIdConfigurationUrl });
const { bot, app } = createInviteBot({ appId: emulator.appId, graphClient, tokenVerifier, say });
const server = app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const callbackUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`;

say(`Graph emulator  ${emulator.url}  (OpenID configuration ${emulator.openIdConfigurationUrl})`);
say(`sample bot      ${callbackUri}  (verifies every callback's RS256 token)\n`);

// Calls the bot is already in; in production, calls it created or answered.
const group = emulator.createCall({ callbackUri, kind: 'group' });

const examples: Example[] = [
  {
    title: '1. Invite one participant to an existing call',
    prepare: async () => ({ callId: group.id, request: { participants: [user('278405a3-f568-4b3e-b684-009193463064')] } }),
    expected: ['rosterUpdated', 'operationCompleted'],
  },
  {
    title: '2. Invite several participants to a group call',
    prepare: async () => ({ callId: group.id, request: { participants: [user('7e1b4346-85a6-4bdd-abe3-d11c5d420efe'), user('1e126418-44a0-4a94-a6f8-0efe1ad71acb')] } }),
    expected: ['rosterUpdated', 'operationCompleted'],
  },
  {
    title: '3. Replace a peer-to-peer call with a group call',
    prepare: async () => {
      const p2p = emulator.createCall({ callbackUri, kind: 'peerToPeer', participants: [{ user: { id: '7e1b4346-85a6-4bdd-abe3-d11c5d420efe' } }] });
      const target = emulator.createCall({ callbackUri, kind: 'group' });
      say(`   peer-to-peer call ${short(p2p.id)} becomes group call ${short(target.id)}`);
      return { callId: target.id, request: { participants: [{ ...user('7e1b4346-85a6-4bdd-abe3-d11c5d420efe'), replacesCallId: p2p.id }] } };
    },
    expected: ['rosterUpdated', 'operationCompleted', 'callTerminated', 'p2pReplaced'],
  },
  {
    title: '4. Invite a phone number (PSTN)',
    prepare: async () => ({ callId: group.id, request: { participants: [{ identity: { phone: { id: '+12345678901' } } }] } }),
    expected: ['rosterUpdated', 'operationCompleted'],
  },
  {
    title: '5. Move a participant from one meeting to another',
    prepare: async () => {
      // Announced, so that the bot knows the source meeting's roster and sees the participant leave it.
      const source = emulator.createCall({ callbackUri, kind: 'meeting', announce: true, participants: [{ user: { id: '682b6c37-0729-4fab-ace6-d730d5d9137e', displayName: 'Participant' } }] });
      await emulator.idle();
      const target = emulator.createCall({ callbackUri, kind: 'meeting' });
      const participantId = String(emulator.getCall(source.id)!.participants.find((p) => JSON.stringify(p).includes('682b6c37'))!['id']);
      say(`   participant ${short(participantId)} moves from meeting ${short(source.id)} to ${short(target.id)}`);
      return { callId: target.id, request: { participants: [{ ...user('682b6c37-0729-4fab-ace6-d730d5d9137e'), replacesCallId: source.id, participantId }] } };
    },
    expected: ['rosterUpdated', 'operationCompleted', 'participantMoved'],
  },
  {
    title: '6. An invite that fails (403, as seen for PSTN without a licence)',
    prepare: async () => {
      emulator.faults.nextInvite({ fail: { code: 403, subcode: 10151, message: 'DiagCode: 403#10151' } });
      return { callId: group.id, request: { participants: [{ identity: { phone: { id: '+15555550100' } } }] } };
    },
    expected: ['operationFailed'],
  },
];

const missing: string[] = [];
for (const example of examples) {
  say(example.title);
  const seen = new Set<CallingBotEventName>();
  const off = watch(bot, seen);
  const { callId, request } = await example.prepare();
  say(`   inviting ${request.participants.map((p) => describe(p.identity)).join(', ')} into call ${short(callId)}`);
  const invitation = await bot.invite(callId, request);
  say(`   Graph answered ${invitation.status}: operation ${short(invitation.id)}, clientContext ${short(invitation.clientContext)}`);
  const outcome = await invitation.completion;
  await emulator.idle();
  off();
  say(`   outcome: ${outcome.status}${outcome.resultInfo ? ` (${outcome.resultInfo.code}/${outcome.resultInfo.subcode})` : ''}`);
  const absent = example.expected.filter((name) => !seen.has(name));
  if (absent.length > 0) missing.push(`${example.title}: no ${absent.join(', ')}`);
  say('');
}

await new Promise((resolve) => server.close(resolve));
await bot.close();
await emulator.close();

if (missing.length > 0) {
  say(`${missing.length} of ${examples.length} examples missed events:`);
  for (const line of missing) say(`  - ${line}`);
  process.exit(1);
}
say(`all ${examples.length} examples produced their expected events`);

function watch(target: CallingBot, seen: Set<CallingBotEventName>): () => void {
  const names: CallingBotEventName[] = ['operationCompleted', 'operationFailed', 'rosterUpdated', 'p2pReplaced', 'participantMoved', 'callTerminated'];
  const listeners = names.map((name) => [name, () => void seen.add(name)] as const);
  for (const [name, listener] of listeners) target.on(name, listener);
  return () => {
    for (const [name, listener] of listeners) target.off(name, listener);
  };
}
