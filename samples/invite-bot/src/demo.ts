/**
 * `npm start`: a local Graph emulator, the sample bot, the five examples of Graph's invite page
 * plus a failing invite, then a call's whole life (answer, tones, recording, invite, transfer,
 * hang-up) played by the bot's own call flow (call-flow.ts). Prints each step and each event;
 * exits 0 when every part produced its expected events, non-zero naming what was missing.
 */
import type { AddressInfo } from 'node:net';
import { Client } from '@microsoft/microsoft-graph-client';
import { createGraphTokenVerifier, type CallingBot, type CallingBotEventName, type InvitationParticipantInfo, type InviteRequest } from '@graph-comms/core';
import { GraphEmulator } from '@graph-comms/emulator';
import { startCallFlow, type CallFlowStep } from './call-flow.js';
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

// The bot's own calls (answer, menu, keys): started now, it ignores the invite examples' calls anyway.
const flow = startCallFlow(bot, {
  callbackUri,
  say,
  menuPromptUri: 'https://example.com/menu.wav',
  agent: user('5f4c3e2d-1b0a-4c9d-8e7f-6a5b4c3d2e1f'),
  operator: user('0c1d2e3f-4a5b-4c6d-9e8f-7a6b5c4d3e2f'),
});

const missing: string[] = [];
for (const example of examples) {
  say(example.title);
  const seen = new Set<CallingBotEventName>();
  const off = watch(bot, seen);
  try {
    const { callId, request } = await example.prepare();
    say(`   inviting ${request.participants.map((p) => describe(p.identity)).join(', ')} into call ${short(callId)}`);
    const invitation = await bot.invite(callId, request);
    say(`   Graph answered ${invitation.status}: operation ${short(invitation.id)}, clientContext ${short(invitation.clientContext)}`);
    const outcome = await within(invitation.completion, "the invite's outcome");
    await within(emulator.idle(), "the emulator's last callbacks");
    say(`   outcome: ${outcome.status}${outcome.resultInfo ? ` (${outcome.resultInfo.code}/${outcome.resultInfo.subcode})` : ''}`);
  } catch (error) {
    missing.push(`${example.title}: ${message(error)}`);
  }
  off();
  const absent = example.expected.filter((name) => !seen.has(name));
  if (absent.length > 0) missing.push(`${example.title}: no ${absent.join(', ')}`);
  say('');
}

const LIFE = "7. A call's whole life";
say(`${LIFE}: answer, menu, keys, recording, invite, transfer, hang-up`);
{
  const seen = new Set<CallingBotEventName>();
  const off = watch(bot, seen);
  try {
    await callLife();
  } catch (error) {
    missing.push(`${LIFE}: ${message(error)}`);
  }
  off();
  const expected: CallingBotEventName[] = ['incomingCall', 'callEstablished', 'toneReceived', 'operationCompleted', 'rosterUpdated', 'callTerminated'];
  const absent = expected.filter((name) => !seen.has(name));
  if (absent.length > 0) missing.push(`${LIFE}: no ${absent.join(', ')}`);
  say('');
}

// The last callbacks (a hang-up's `deleted`) may still be on their way: let them land first.
await within(emulator.idle(), "the emulator's last callbacks").catch((error: unknown) => missing.push(message(error)));
await new Promise((resolve) => server.close(resolve));
await bot.close();
await emulator.close();

const parts = examples.length + 1;
if (missing.length > 0) {
  say(`${missing.length} problem(s) in the ${parts} parts:`);
  for (const line of missing) say(`  - ${line}`);
  process.exit(1);
}
say(`all ${parts} parts produced their expected events (${examples.length} invite examples, a call's whole life)`);

/**
 * The emulator plays only the callers: it places the calls and presses the keys. Everything
 * else is the bot's call flow reacting to its events; each `waitForStep` waits for one of its steps.
 */
async function callLife(): Promise<void> {
  const alex = emulator.placeIncomingCall({ callbackUri, from: { user: { id: 'b8a4d1e6-3c2f-4e5a-9b7d-1f0e2d3c4b5a', displayName: 'Alex' } } });
  say(`   Alex calls the bot: call ${short(alex.id)}`);
  await waitForStep(alex.id, 'menuPlayed', () => undefined);

  say('   Alex presses 1 (leave a message)');
  const recorded = await waitForStep(alex.id, 'recorded', () => press(alex.id, 'tone1'));
  if (!recorded.wav) throw new Error(`the downloaded recording (${recorded.bytes} bytes) is not a WAV: it does not start with RIFF`);

  say('   Alex presses 2 (talk to an agent)');
  await waitForStep(alex.id, 'invited', () => press(alex.id, 'tone2'));

  // A transfer ends the bot's part of the call (0/7015), so it is played on a second call while
  // Alex's call goes on.
  const sam = emulator.placeIncomingCall({ callbackUri, from: { user: { id: 'd2c1b0a9-8f7e-4d6c-b5a4-3e2f1d0c9b8a', displayName: 'Sam' } } });
  say(`   Sam calls the bot: call ${short(sam.id)}`);
  await waitForStep(sam.id, 'menuPlayed', () => undefined);
  say('   Sam presses 0 (the operator)');
  const [, transferEnd] = await Promise.all([waitForStep(sam.id, 'transferred', () => press(sam.id, 'tone0')), waitForStep(sam.id, 'ended', () => undefined)]);
  if (transferEnd.reason !== 'transferred') throw new Error(`Sam's call ended "${transferEnd.reason ?? 'with no reason'}", not "transferred"`);

  say('   Alex presses # (hang up)');
  const alexEnded = await waitForStep(alex.id, 'ended', () => press(alex.id, 'pound'));
  if (!alexEnded.reason?.startsWith('ended')) throw new Error(`Alex's call ended "${alexEnded.reason ?? 'with no reason'}", not by the hang-up`);
}

/** The caller presses a key; the emulator sends it only once the bot has subscribed to tones. */
function press(callId: string, tone: string): void {
  if (emulator.pressTone(callId, tone) === null) throw new Error(`emulator.pressTone(${short(callId)}, ${tone}) sent nothing: the call is not live or the bot never subscribed to tones`);
}

/** Runs `act`, then waits (bounded) for the call flow's `step` on `callId`; a `failed` step fails it. */
function waitForStep<S extends CallFlowStep['step']>(callId: string, step: S, act: () => void): Promise<Extract<CallFlowStep, { step: S }>> {
  let off = (): void => undefined;
  const seen = new Promise<Extract<CallFlowStep, { step: S }>>((resolve, reject) => {
    off = flow.onStep((done) => {
      if (done.callId !== callId) return;
      if (done.step === step) resolve(done as Extract<CallFlowStep, { step: S }>);
      else if (done.step === 'failed') reject(new Error(`the bot's ${done.action} failed on call ${short(callId)}: ${done.message}`));
      else if (done.step === 'ended' && step !== 'transferred') reject(new Error(`call ${short(callId)} ended (${done.reason ?? 'no reason'}) before the bot's ${step}`));
    });
  });
  try {
    act();
  } catch (error) {
    off();
    return Promise.reject(error);
  }
  return within(seen, `the call flow's "${step}" on call ${short(callId)}`).finally(off);
}

/** Every wait is bounded: the emulator answers in milliseconds, so 5 s means something is stuck. */
function within<T>(promise: Promise<T>, what: string, ms = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function watch(target: CallingBot, seen: Set<CallingBotEventName>): () => void {
  const names: CallingBotEventName[] = ['operationCompleted', 'operationFailed', 'rosterUpdated', 'p2pReplaced', 'participantMoved', 'incomingCall', 'callEstablished', 'toneReceived', 'callTerminated'];
  const listeners = names.map((name) => [name, () => void seen.add(name)] as const);
  for (const [name, listener] of listeners) target.on(name, listener);
  return () => {
    for (const [name, listener] of listeners) target.off(name, listener);
  };
}
