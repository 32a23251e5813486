import { afterEach, beforeAll, beforeEach, expect } from '@jest/globals';
import type { CallingBot, InviteRequest } from '@graph-comms/core';
import { botsWithFakeGraph } from '../../../../test/helpers/bots.js';
import type { Script } from '../../../../test/helpers/fake-graph.js';
import { seed } from '../../../../test/helpers/fixtures.js';
import { loadApi } from '../../src/telemetry/load-api.js';
import { CALLBACK_URI, callbackRequest, established } from '../helpers/calls.js';
import { registerSdk, type RecordingSdk } from './sdk.js';

/** The call, operation and people of Graph's invite page, example 1: none of them may show up in telemetry. */
export const CALL = 'ab6233a5-20b7-4c5e-bea2-ce56c9776429';
export const INVITE_OP = 'eec3812a-fdc3-4fb4-825c-a06c9f35414e';
export const INVITE_CTX = 'f2fa86af-3c51-4bc2-8fc0-475452d9764f';
export const TONE_OP = '0b0f7c6e-2d1a-4b8e-9c3f-5a6d7e8f9012';
export const PRIVATE = [CALL, CALL.replaceAll('-', ''), INVITE_OP, INVITE_CTX, TONE_OP, '278405a3-f568-4b3e-b684-009193463064', '72f988bf-86f1-41af-91ab-2d7cd011db47', 'test-access-token'];

/** Graph's side: invites and tone subscriptions run, every other request is refused 403. */
export const graphScript: Script = (request) => {
  if (request.path.endsWith('/participants/invite')) return { status: 200, body: seed('ex1-invite-one', 'response') };
  if (request.path.endsWith('/subscribeToTone')) {
    const clientContext = (request.body as { clientContext: string }).clientContext;
    return { status: 200, body: { '@odata.type': '#microsoft.graph.subscribeToToneOperation', id: TONE_OP, status: 'running', clientContext } };
  }
  return { status: 403, body: { error: { code: 'Forbidden', message: 'Application is not allowed to play prompts' } } };
};

/** Example 1 as its title says: one participant invited, no call replaced. */
export function inviteRequest(): InviteRequest {
  const request = seed('ex1-invite-one', 'request');
  delete request.participants[0].replacesCallId;
  return request;
}

/** Graph's final notification of the tone subscription: failed. */
export const toneFailed = (clientContext: string) => ({
  value: [
    {
      changeType: 'deleted',
      resourceUrl: `/communications/calls/${CALL}/operations/${TONE_OP}`,
      resourceData: { '@odata.type': '#microsoft.graph.subscribeToToneOperation', id: TONE_OP, clientContext, status: 'failed', resultInfo: { code: 400, subcode: 8508, message: 'Action falied, the operation was cancelled.' } },
    },
  ],
});

/** A body of two notifications: one the bot cannot place, and a call update. */
export const unknownAndCall = () => ({
  value: [{ changeType: 'updated', resourceUrl: '/communications/presences/0123', resourceData: { availability: 'Available' } }, ...established(CALL).value],
});

/**
 * A bot's usual life, through `bot.handleRequest` and a real Graph client: a call update, an
 * invite and a tone subscription sent, a prompt Graph refuses, the invite's roster and outcome,
 * the subscription failing, a body with an unknown notification, a body that is not JSON and one
 * that is not JSON at all by its type. `between` runs after the two operations are pending.
 */
export async function realisticRun(bot: CallingBot, between: () => Promise<void> = async () => undefined): Promise<void> {
  const answer = (body: unknown) => bot.handleRequest(callbackRequest(body));
  expect(await answer(established(CALL))).toEqual({ status: 202 });
  const invitation = await bot.invite(CALL, inviteRequest());
  const tone = await bot.call(CALL).subscribeToTone();
  await expect(bot.call(CALL).playPrompt({ prompts: [{ mediaInfo: { uri: 'https://cdn.contoso.com/menu.wav' } }] })).rejects.toMatchObject({ status: 403 });
  await between();
  expect(await answer(seed('ex1-invite-one', 'notification-roster'))).toEqual({ status: 202 });
  expect(await answer(seed('ex1-invite-one', 'notification-operation'))).toEqual({ status: 202 });
  expect(await answer(toneFailed(tone.clientContext))).toEqual({ status: 202 });
  expect(await answer(unknownAndCall())).toEqual({ status: 202 });
  expect((await bot.handleRequest({ headers: { 'content-type': 'application/json' }, body: '{"value": [' })).status).toBe(400);
  expect((await bot.handleRequest({ headers: { 'content-type': 'text/plain' }, body: 'hello' })).status).toBe(415);
  await expect(invitation.completion).resolves.toMatchObject({ status: 'completed' });
  await expect(tone.completion).resolves.toMatchObject({ status: 'failed' });
}

/**
 * For a test file with the OpenTelemetry API loaded: bots aimed at a fake Graph running
 * `graphScript`, and `sdk`, standing for the SDK registered afresh for each test.
 */
export function telemetrySuite() {
  const suite = botsWithFakeGraph({ callbackUri: CALLBACK_URI, keepAliveIntervalMs: false });
  let current: RecordingSdk;
  beforeAll(async () => {
    // Loaded before the first bot, so that every bot records from its first callback.
    expect(await loadApi()).toHaveProperty('api');
  });
  beforeEach(() => {
    current = registerSdk();
    suite.graph.script = graphScript;
  });
  afterEach(() => current.stop());
  const sdk: RecordingSdk = {
    metrics: () => current.metrics(),
    points: (name) => current.points(name),
    spans: () => current.spans(),
    stop: () => current.stop(),
  };
  return { suite, sdk };
}
