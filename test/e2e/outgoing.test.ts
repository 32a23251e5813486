import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { RequestValidationError, sameId, type CallHandle, type CreateCallRequest, type MeetingToJoin } from '@graph-comms/core';
import type { CallScript, JsonObject } from '@graph-comms/emulator';
import { briefly } from '../helpers/actions.js';
import { eventsOf, expectCleanStack, requestLog, startStack, waitForEvent, within, type Stack } from '../helpers/stack.js';

/*
 * Calls the bot places and meetings it joins, through the emulator over HTTP with signed
 * callbacks; then transferring them.
 */

const RING_TIMEOUT_MS = 400; // the emulator's: a callee that does not pick up rings this long
const OPERATION_TIMEOUT_MS = 800; // the bot's: a transfer with no outcome by then times out

const requests = requestLog();
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ emulator: { ringTimeoutMs: RING_TIMEOUT_MS, logger: requests.log }, bot: { operationTimeoutMs: OPERATION_TIMEOUT_MS }, botCallbackUri: true });
});
afterAll(() => stack.close());
afterEach(() => expectCleanStack(stack));

const user = (id: string) => ({ identity: { user: { id, displayName: `User ${id}` } } });

const established = (call: CallHandle) => waitForEvent(stack, 'callEstablished', (e) => sameId(e.callId, call.id));
const terminated = (call: CallHandle, timeoutMs?: number) => waitForEvent(stack, 'callTerminated', (e) => sameId(e.callId, call.id), timeoutMs);
const allAccepted = (callId: string) => expect(stack.emulator.deliveries.filter((d) => d.callId === callId).map((d) => d.status).filter((s) => s !== 202)).toEqual([]);
const createRequests = () => requests.requests(/^POST \/v1\.0\/communications\/calls$/).length;

/** Places a call and waits until the bot heard it established, then every callback. */
async function placed(request: CreateCallRequest, script?: CallScript) {
  if (script) stack.emulator.faults.nextCall(script);
  const call = await stack.bot.createCall(request);
  await established(call);
  await stack.emulator.idle();
  await briefly();
  return { call, events: eventsOf(stack, call.id), there: stack.emulator.getCall(call.id)! };
}

describe('placing a call', () => {
  it('peer to peer, with the defaults: a handle on the emulator’s call, callEstablished once', async () => {
    const { call, events, there } = await placed({ targets: [user('callee-1')] });
    expect(there).toMatchObject({ id: call.id, kind: 'peerToPeer', state: 'established', callbackUri: stack.callbackUri });
    expect(there.resource).toMatchObject({ direction: 'outgoing', requestedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } });
    expect(events.states()).toEqual(['establishing', 'established']);
    expect(events.of('callEstablished')).toHaveLength(1);
    expect(JSON.stringify(events.of('rosterUpdated')[0]!.participants)).toContain('callee-1');
    expect((await stack.bot.getCall(call.id))!.state).toBe('established');
    allAccepted(call.id);
    await call.hangUp();
  });

  it('a group call with 3 targets: established, all of them on the roster', async () => {
    const { call, events, there } = await placed({ targets: [user('g-1'), user('g-2'), user('g-3')] });
    expect(there).toMatchObject({ kind: 'group', state: 'established' });
    expect(there.participants).toHaveLength(4); // the bot and the three
    const roster = JSON.stringify(events.of('rosterUpdated').at(-1)!.participants);
    for (const id of ['g-1', 'g-2', 'g-3']) expect(roster).toContain(id);
    expect(events.of('callEstablished')).toHaveLength(1);
    await call.hangUp();
  });

  it('PSTN, from an application instance to a phone number: established', async () => {
    const source = { identity: { applicationInstance: { id: 'ai-ivr-1', displayName: 'IVR' } } };
    const { call, events, there } = await placed({ source, targets: [{ identity: { phone: { id: '+14255550123' } } }] });
    expect(there.state).toBe('established');
    expect(there.resource['source']).toMatchObject({ identity: { applicationInstance: { id: 'ai-ivr-1' } } });
    expect(JSON.stringify(there.resource['targets'])).toContain('+14255550123');
    expect(events.of('callEstablished')).toHaveLength(1);
    await call.hangUp();
  });

  it.each<[string, CreateCallRequest, string]>([
    ['PSTN without an application instance', { targets: [{ identity: { phone: { id: '+14255550123' } } }] }, 'source.missing'],
    ['PSTN from an application', { source: { identity: { application: { id: 'app-1' } } }, targets: [{ identity: { phone: { id: '+14255550123' } } }] }, 'source.missing'],
    ['a phone number not in E.164', { source: { identity: { applicationInstance: { id: 'ai-1' } } }, targets: [{ identity: { phone: { id: '4255550123' } } }] }, 'targets.invalid'],
    ['nobody', { targets: [] }, 'targets.missing'],
    ['six targets', { targets: ['1', '2', '3', '4', '5', '6'].map(user) }, 'targets.tooMany'],
  ])('%s: refused before any request', async (_name, request, rule) => {
    const before = createRequests();
    const error = await stack.bot.createCall(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error).toMatchObject({ action: 'createCall', rule });
    await briefly();
    expect(createRequests()).toBe(before);
  });

  it('callbacks that overtake the 201: applied, nothing unknown, callEstablished once', async () => {
    stack.emulator.faults.nextCall({ overtake: true });
    const call = await stack.bot.createCall({ targets: [user('fast-1')] });
    // The first callbacks were answered before the 201 came back: the bot already holds them.
    expect(stack.emulator.deliveries.filter((d) => d.callId === call.id).length).toBeGreaterThan(0);
    expect(eventsOf(stack, call.id).states()).toContain('establishing');
    await established(call);
    await stack.emulator.idle();
    await briefly();
    const events = eventsOf(stack, call.id);
    expect(events.states()).toEqual(['establishing', 'established']);
    expect(events.of('callEstablished')).toHaveLength(1);
    expect(stack.rec.of('notificationUnhandled')).toEqual([]);
    expect((await stack.bot.getCall(call.id))!.state).toBe('established');
    allAccepted(call.id);
    await call.hangUp();
  });

  it.each<[string, CallScript, { code: number; subcode: number }, string, number | undefined]>([
    ['declines', { callee: 'decline' }, { code: 480, subcode: 10134 }, 'the callee could not be reached', undefined],
    ['declines (603)', { callee: 'decline', endResult: { code: 603, subcode: 0, message: 'Declined' } }, { code: 603, subcode: 0 }, 'declined', undefined],
    ['does not answer', { callee: 'noAnswer' }, { code: 480, subcode: 10076 }, 'the callee could not be reached', RING_TIMEOUT_MS + 5_000],
  ])('the callee %s: callTerminated once with its resultInfo, never established', async (_name, script, resultInfo, reason, timeoutMs) => {
    stack.emulator.faults.nextCall(script);
    const call = await stack.bot.createCall({ targets: [user('busy-1')] });
    await terminated(call, timeoutMs);
    await stack.emulator.idle();
    await briefly();
    const events = eventsOf(stack, call.id);
    expect(events.of('callTerminated')).toEqual([{ eventId: expect.any(String), callId: call.id, resultInfo: expect.objectContaining(resultInfo), reason }]);
    expect(events.of('callEstablished')).toEqual([]);
    expect(events.states()).toEqual(['establishing', 'terminated']);
    expect(stack.emulator.getCall(call.id)).toMatchObject({ state: 'terminated', resultInfo });
    expect((await stack.bot.getCall(call.id))!.state).toBe('terminated');
  });
});

describe('joining a meeting', () => {
  const TENANT = 'b1a2c3d4-0000-4000-8000-00000000abcd';
  const ORGANIZER = '550fae72-d251-43ec-868c-373732c2704f';
  const THREAD = '19:meeting_NTg0NmQ3NTctZDVkZC00YzRhLThmNmEtOGQ3M2ViNzEyNzBj@thread.v2';
  const context = JSON.stringify({ Tid: TENANT, Oid: ORGANIZER });
  const encoded = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(THREAD)}/0?context=${encodeURIComponent(context)}`;
  const unencoded = `https://teams.microsoft.com/l/meetup-join/${THREAD}/0?context=${context}`;

  it.each([
    ['encoded', encoded],
    ['unencoded', unencoded],
  ])('from a Teams link (%s): chatInfo, organizerMeetingInfo and tenant from the link, established', async (_name, joinUrl) => {
    const call = await stack.bot.joinMeeting({ joinUrl });
    await established(call);
    await stack.emulator.idle();
    const there = stack.emulator.getCall(call.id)!;
    expect(there).toMatchObject({ kind: 'meeting', state: 'established', tenantId: TENANT });
    expect(there.resource['chatInfo']).toMatchObject({ threadId: THREAD, messageId: '0' });
    expect(there.resource['meetingInfo']).toMatchObject({ '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { user: { id: ORGANIZER, tenantId: TENANT } } });
    expect(eventsOf(stack, call.id).of('callEstablished')).toHaveLength(1);
    await call.hangUp();
  });

  it('by meeting id and passcode: a joinMeetingIdMeetingInfo, established', async () => {
    const call = await stack.bot.joinMeeting({ joinMeetingId: '1234567890', passcode: 'Xy7pQ2' });
    await established(call);
    await stack.emulator.idle();
    const there = stack.emulator.getCall(call.id)!;
    expect(there).toMatchObject({ kind: 'meeting', state: 'established' });
    expect(there.resource['meetingInfo']).toMatchObject({ '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: '1234567890', passcode: 'Xy7pQ2' });
    expect((there.resource['chatInfo'] as JsonObject | undefined)?.['threadId']).toEqual(expect.any(String));
    expect(eventsOf(stack, call.id).of('callEstablished')).toHaveLength(1);
    await call.hangUp();
  });

  it.each<[string, MeetingToJoin]>([
    ['another service', { joinUrl: 'https://zoom.us/j/1234567890?pwd=abc' }],
    ['a look-alike host', { joinUrl: encoded.replace('teams.microsoft.com', 'teams.microsoft.com.example.net') }],
    ['plain http', { joinUrl: encoded.replace('https:', 'http:') }],
    ['no context', { joinUrl: encoded.split('?')[0]! }],
    ['not a URL', { joinUrl: 'meet me at noon' }],
  ])('from %s: refused before any request', async (_name, meeting) => {
    const before = createRequests();
    const error = await stack.bot.joinMeeting(meeting).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect(error).toMatchObject({ action: 'joinMeeting', rule: 'joinUrl.invalid' });
    await briefly();
    expect(createRequests()).toBe(before);
  });
});

describe('transferring a call', () => {
  const transferTarget = user('transfer-target');

  it('completed: the call ends transferred (0/7015)', async () => {
    const { call, events } = await placed({ targets: [user('t-1')] });
    const transfer = await call.transfer({ transferTarget });
    expect(transfer.callId).toBe(call.id);
    await expect(within(transfer.completion, 'the transfer')).resolves.toEqual({ status: 'completed', resultInfo: expect.objectContaining({ code: 0, subcode: 7015 }) });
    await terminated(call);
    await stack.emulator.idle();
    await briefly();
    expect(events.states()).toEqual(['establishing', 'established', 'transferring', 'transferAccepted', 'terminated']);
    expect(events.of('callTerminated')).toEqual([{ eventId: expect.any(String), callId: call.id, resultInfo: expect.objectContaining({ code: 0, subcode: 7015 }), reason: 'transferred' }]);
    expect(requests.requests(new RegExp(`/calls/${call.id}/transfer$`)).map((r) => r.body)).toEqual([expect.objectContaining({ transferTarget })]);
    allAccepted(call.id);
  });

  it('falling back: failed with Graph’s resultInfo, and the call is established again', async () => {
    const { call, events } = await placed({ targets: [user('t-2')] });
    const fail = { code: 500, subcode: 7000, message: 'Transfer target did not answer.' };
    stack.emulator.faults.nextOperation('transfer', { fail });
    const transfer = await call.transfer({ transferTarget });
    await expect(within(transfer.completion, 'the transfer')).resolves.toEqual({ status: 'failed', resultInfo: expect.objectContaining(fail) });
    await stack.emulator.idle();
    await briefly();
    expect(events.states()).toEqual(['establishing', 'established', 'transferring', 'established']);
    expect(events.of('callEstablished')).toHaveLength(1);
    expect(events.of('callTerminated')).toEqual([]);
    expect(stack.emulator.getCall(call.id)!.state).toBe('established');
    expect((await stack.bot.getCall(call.id))!.state).toBe('established');
    // And it can be transferred again.
    const again = await call.transfer({ transferTarget });
    await expect(within(again.completion, 'the second transfer')).resolves.toMatchObject({ status: 'completed' });
  });

  it('never completing: timedOut after operationTimeoutMs; one transfer at a time until then', async () => {
    const { call } = await placed({ targets: [user('t-3')] });
    stack.emulator.faults.nextOperation('transfer', { neverComplete: true });
    const transfer = await call.transfer({ transferTarget });
    const second = await call.transfer({ transferTarget }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(RequestValidationError);
    expect(second).toMatchObject({ rule: 'transfer.pending' });
    expect(requests.requests(new RegExp(`/calls/${call.id}/transfer$`))).toHaveLength(1);
    await expect(within(transfer.completion, 'the transfer to time out', OPERATION_TIMEOUT_MS + 5_000)).resolves.toEqual({ status: 'timedOut' });
    expect(stack.emulator.getCall(call.id)!.state).toBe('transferring');
    await call.hangUp();
    await terminated(call);
  });
});
