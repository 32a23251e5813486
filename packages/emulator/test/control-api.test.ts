/** The control API under /_emulator/: every endpoint, its bad input, and its 404s and 409s. */
import { describe, it, expect } from '@jest/globals';
import type { CallSnapshot, DeliverySnapshot, JsonObject } from '../src/index.js';
import { request, until, useEmulator, user } from './helpers.js';

type Answer = { status: number; body: unknown };
const errorOf = (answer: Answer) => (answer.body as { error: { code: string; message: string } }).error;

describe('control API', () => {
  const env = useEmulator({ callbackDelayMs: 0, autoAnswerMs: 0 });
  const control = (method: string, path: string, body?: unknown) => request(env.emulator, method, `_emulator/${path}`, body);
  const raw = async (method: string, path: string, body: string): Promise<Answer> => {
    const response = await fetch(new URL(`_emulator/${path}`, env.emulator.url), { method, headers: { 'Content-Type': 'application/json' }, body });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const fixture = () => env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group', participants: [user('u-1')] });

  it('GET /_emulator/info names the app, the tenant and the URLs', async () => {
    expect(await control('GET', 'info')).toMatchObject({
      status: 200,
      body: { appId: env.emulator.appId, tenantId: env.emulator.tenantId, baseUrl: env.emulator.url, openIdConfigurationUrl: env.emulator.openIdConfigurationUrl },
    });
  });

  it('GET /_emulator/calls lists every call, ended ones included, newest first', async () => {
    const first = fixture();
    const second = fixture();
    env.emulator.endCall(first.id);
    await env.emulator.idle();
    const { status, body } = await control('GET', 'calls');
    expect(status).toBe(200);
    const calls = (body as { calls: CallSnapshot[] }).calls;
    const ids = calls.map((c) => c.id);
    expect(ids.indexOf(second.id)).toBeLessThan(ids.indexOf(first.id));
    expect(calls.find((c) => c.id === first.id)).toMatchObject({ state: 'terminated', resultInfo: { code: 200, subcode: 5001 } });
    expect(calls.find((c) => c.id === second.id)).toMatchObject({
      state: 'established',
      kind: 'group',
      direction: 'outgoing',
      callbackUri: env.bot.url(),
      tenantId: env.emulator.tenantId,
      toneSubscribed: false,
      createdAt: expect.any(Number),
      operations: [],
    });
  });

  it('GET /_emulator/calls/{id} answers the snapshot; 404 for an unknown call', async () => {
    const call = fixture();
    expect(await control('GET', `calls/${call.id}`)).toEqual({ status: 200, headers: expect.anything(), body: JSON.parse(JSON.stringify(env.emulator.getCall(call.id))) as unknown });
    const missing = await control('GET', 'calls/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { code: 'NotFound', message: expect.any(String) } });
  });

  it('POST /_emulator/calls/incoming places an incoming call', async () => {
    const { status, body } = await control('POST', 'calls/incoming', { callbackUri: env.bot.url(), from: { displayName: 'Alice', id: 'alice-1' } });
    expect(status).toBe(201);
    const call = body as CallSnapshot;
    expect(call).toMatchObject({ state: 'incoming', direction: 'incoming', kind: 'peerToPeer' });
    await env.emulator.idle();
    expect(env.bot.about(call.id)).toMatchObject([
      { changeType: 'created', resourceData: { state: 'incoming', source: { identity: { user: { id: 'alice-1', displayName: 'Alice' } } } } },
    ]);
    const group = await control('POST', 'calls/incoming', { callbackUri: env.bot.url(), from: { phone: { id: '+12345678901' } }, kind: 'group', id: 'control-incoming-1' });
    expect(group).toMatchObject({ status: 201, body: { id: 'control-incoming-1', kind: 'group' } });
    expect((await control('POST', 'calls/incoming', { callbackUri: env.bot.url(), id: 'control-incoming-1' })).status).toBe(409);
  });

  it('POST /_emulator/calls/incoming refuses bad input with 400', async () => {
    const bad = [
      await raw('POST', 'calls/incoming', '{not json'),
      await raw('POST', 'calls/incoming', '[1, 2]'),
      await control('POST', 'calls/incoming'),
      await control('POST', 'calls/incoming', {}),
      await control('POST', 'calls/incoming', { callbackUri: 'not a url' }),
      await control('POST', 'calls/incoming', { callbackUri: 'ftp://127.0.0.1/x' }),
      await control('POST', 'calls/incoming', { callbackUri: env.bot.url(), kind: 'conference' }),
      await control('POST', 'calls/incoming', { callbackUri: env.bot.url(), from: 'alice' }),
      await control('POST', 'calls/incoming', { callbackUri: env.bot.url(), from: { user: {} } }),
      await control('POST', 'calls/incoming', { callbackUri: env.bot.url(), id: 7 }),
    ];
    for (const answer of bad) {
      expect(answer.status).toBe(400);
      expect(errorOf(answer)).toEqual({ code: 'BadRequest', message: expect.any(String) });
    }
    expect(errorOf(bad[4] as Answer).message).toMatch(/callbackUri/);
    expect(errorOf(bad[2] as Answer).message).toMatch(/JSON object/);
  });

  it('POST /_emulator/calls makes a call fixture', async () => {
    const answer = await control('POST', 'calls', { callbackUri: env.bot.url(), kind: 'group', participants: [{ displayName: 'Bob' }] });
    expect(answer).toMatchObject({ status: 201, body: { state: 'established', kind: 'group' } });
    expect((answer.body as CallSnapshot).participants).toHaveLength(2);
    expect((await control('POST', 'calls', { kind: 'group' })).status).toBe(400);
  });

  it('POST and DELETE participants: roster updated, then deleted', async () => {
    const call = fixture();
    const joined = await control('POST', `calls/${call.id}/participants`, { displayName: 'Carol', id: 'carol-1' });
    expect(joined).toMatchObject({ status: 201, body: { participantId: expect.any(String) } });
    const participantId = (joined.body as { participantId: string }).participantId;
    const byIdentity = await control('POST', `calls/${call.id}/participants`, { identity: { phone: { id: '+12345678902' } } });
    expect(byIdentity.status).toBe(201);
    expect((await control('POST', `calls/${call.id}/participants`)).status).toBe(201);
    await env.emulator.idle();
    expect(env.bot.about(call.id)[0]).toMatchObject({ changeType: 'updated', resourceData: [{ id: participantId, info: { identity: { user: { id: 'carol-1', displayName: 'Carol' } } } }] });

    const left = await control('DELETE', `calls/${call.id}/participants/${participantId}`);
    expect(left.status).toBe(204);
    await env.emulator.idle();
    expect(env.bot.about(call.id).at(-1)).toMatchObject({ changeType: 'deleted', resourceData: [{ id: participantId }] });
    expect((await control('DELETE', `calls/${call.id}/participants/${participantId}`)).status).toBe(404);
    expect((await control('DELETE', `calls/nope/participants/${participantId}`)).status).toBe(404);
    expect((await control('POST', 'calls/nope/participants', {})).status).toBe(404);
    for (const body of [{ identity: {} }, { identity: 'x' }, { id: '' }, { displayName: 3 }]) {
      expect((await control('POST', `calls/${call.id}/participants`, body)).status).toBe(400);
    }
  });

  it('POST .../participants/{pid}/mute sets isMuted with a roster update (and the JS setMuted does the same)', async () => {
    const call = fixture();
    const participantId = String((call.participants.find((p) => JSON.stringify(p).includes('u-1')) as JsonObject).id);
    expect(await control('POST', `calls/${call.id}/participants/${participantId}/mute`, { muted: true })).toMatchObject({ status: 200, body: { participantId, isMuted: true } });
    await env.emulator.idle();
    expect(env.bot.about(call.id).at(-1)).toMatchObject({ changeType: 'updated', resourceData: [{ id: participantId, isMuted: true }] });
    expect(env.emulator.setMuted(call.id, participantId, false)).toBe(true);
    await env.emulator.idle();
    expect(env.bot.about(call.id).at(-1)).toMatchObject({ resourceData: [{ id: participantId, isMuted: false }] });
    expect(env.emulator.setMuted(call.id, 'nobody', true)).toBe(false);
    expect((await control('POST', `calls/${call.id}/participants/${participantId}/mute`, {})).status).toBe(400);
    expect((await control('POST', `calls/${call.id}/participants/${participantId}/mute`, { muted: 'yes' })).status).toBe(400);
    expect((await control('POST', `calls/${call.id}/participants/nobody/mute`, { muted: true })).status).toBe(404);
    expect((await control('POST', `calls/nope/participants/${participantId}/mute`, { muted: true })).status).toBe(404);
  });

  it('POST .../tones: null before subscribeToTone, then 1, 2...; 400 for an unknown tone', async () => {
    const call = fixture();
    expect(await control('POST', `calls/${call.id}/tones`, { tone: 'tone1' })).toMatchObject({ status: 200, body: { sequenceId: null } });
    const subscribed = await request(env.emulator, 'POST', `v1.0/communications/calls/${call.id}/subscribeToTone`, { clientContext: 'c' });
    expect(subscribed.status).toBe(200);
    expect(await control('POST', `calls/${call.id}/tones`, { tone: 'pound' })).toMatchObject({ status: 200, body: { sequenceId: 1 } });
    expect(await control('POST', `calls/${call.id}/tones`, { tone: 'tone5' })).toMatchObject({ status: 200, body: { sequenceId: 2 } });
    expect((await control('GET', `calls/${call.id}`)).body).toMatchObject({ toneSubscribed: true });
    const unknown = await control('POST', `calls/${call.id}/tones`, { tone: 'tone10' });
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown).message).toMatch(/tone must be one of/);
    expect((await control('POST', `calls/${call.id}/tones`, {})).status).toBe(400);
    expect((await control('POST', 'calls/nope/tones', { tone: 'tone1' })).status).toBe(404);
  });

  it('POST .../end ends the call from Graph’s side; 409 once it has ended', async () => {
    const call = fixture();
    const ended = await control('POST', `calls/${call.id}/end`, { resultInfo: { code: 500, subcode: 1234, message: 'Graph went away.' } });
    expect(ended).toMatchObject({ status: 200, body: { id: call.id, state: 'terminating' } });
    await env.emulator.idle();
    expect(env.bot.about(call.id).map((n) => [n.changeType, (n.resourceData as JsonObject).state])).toEqual([
      ['updated', 'terminating'],
      ['deleted', 'terminated'],
    ]);
    expect(env.emulator.getCall(call.id)?.resultInfo).toEqual({ code: 500, subcode: 1234, message: 'Graph went away.' });
    const again = await control('POST', `calls/${call.id}/end`);
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe('Conflict');
    expect((await control('POST', 'calls/nope/end')).status).toBe(404);
    const other = fixture();
    for (const body of [{ resultInfo: 'x' }, { resultInfo: { code: 'a', subcode: 1 } }, { resultInfo: { code: 1, subcode: 2, message: 3 } }]) {
      expect((await control('POST', `calls/${other.id}/end`, body)).status).toBe(400);
    }
    expect((await control('POST', `calls/${other.id}/end`, {})).body).toMatchObject({ state: 'terminating' });
    await env.emulator.idle();
    expect(env.emulator.getCall(other.id)?.resultInfo).toMatchObject({ code: 200, subcode: 5001 });
  });

  it('PUT .../faults applies to that call only; drop sends nothing; DELETE clears them', async () => {
    const call = fixture();
    const other = fixture();
    expect(await control('PUT', `calls/${call.id}/faults`, { drop: true })).toMatchObject({ status: 200, body: { faults: { drop: true } } });
    const before = env.emulator.deliveries.length;
    env.emulator.addParticipant(call.id, user('dropped-1'));
    env.emulator.addParticipant(other.id, user('sent-1'));
    await env.emulator.idle();
    expect(env.bot.about(call.id)).toEqual([]);
    expect(env.bot.about(other.id)).toHaveLength(1);
    const dropped = env.emulator.deliveries.slice(before).find((d) => d.callId === call.id);
    expect(dropped).toMatchObject({ state: 'cancelled', dropped: true, attempts: [] });

    expect(await control('PUT', `calls/${call.id}/faults`, { duplicate: true, latencyMs: 5, pascalCase: true, otherIdForm: false })).toMatchObject({
      status: 200,
      body: { faults: { duplicate: true, latencyMs: 5, pascalCase: true, otherIdForm: false } },
    });
    env.emulator.addParticipant(call.id, user('twice-1'));
    await env.emulator.idle();
    expect(env.bot.about(call.id).map((n) => n.changeType)).toEqual(['Updated', 'Updated']);

    expect(await control('DELETE', `calls/${call.id}/faults`)).toMatchObject({ status: 200, body: { faults: {} } });
    env.bot.reset();
    env.emulator.addParticipant(call.id, user('once-1'));
    await env.emulator.idle();
    expect(env.bot.about(call.id).map((n) => n.changeType)).toEqual(['updated']);

    env.emulator.faults.forCall(call.id, { drop: true });
    env.emulator.addParticipant(call.id, user('js-dropped'));
    await env.emulator.idle();
    expect(env.bot.about(call.id)).toHaveLength(1);
    env.emulator.faults.forCall(call.id, null);

    for (const body of [{ drop: 'yes' }, { latencyMs: -1 }, { latencyMs: 1.5 }, { retries: 3 }, [true]]) {
      expect((await control('PUT', `calls/${call.id}/faults`, body)).status).toBe(400);
    }
    expect((await control('PUT', 'calls/nope/faults', { drop: true })).status).toBe(404);
    expect((await control('DELETE', 'calls/nope/faults')).status).toBe(404);
  });

  it('GET /_emulator/deliveries filters by callId, since and limit', async () => {
    const call = fixture();
    env.emulator.addParticipant(call.id, user('d-1'));
    env.emulator.addParticipant(call.id, user('d-2'));
    env.emulator.addParticipant(call.id, user('d-3'));
    await env.emulator.idle();
    const all = (await control('GET', `deliveries?callId=${call.id}`)).body as { deliveries: DeliverySnapshot[] };
    expect(all.deliveries).toHaveLength(3);
    const [first] = all.deliveries as [DeliverySnapshot];
    expect(first).toEqual({
      seq: expect.any(Number),
      time: expect.any(Number),
      callId: call.id,
      kind: 'roster',
      url: env.bot.url(),
      body: expect.objectContaining({ '@odata.type': '#microsoft.graph.commsNotifications' }),
      duplicate: false,
      attempts: [{ at: expect.any(Number), status: 202, latencyMs: expect.any(Number) }],
      status: 202,
      state: 'delivered',
    });
    const since = (await control('GET', `deliveries?callId=${call.id}&since=${first.seq}&limit=1`)).body as { deliveries: DeliverySnapshot[] };
    expect(since.deliveries.map((d) => d.seq)).toEqual([first.seq + 1]);
    const everything = (await control('GET', 'deliveries')).body as { deliveries: DeliverySnapshot[] };
    expect(everything.deliveries.length).toBe(env.emulator.deliveries.length);
    for (const query of ['since=-1', 'since=x', 'limit=0', 'limit=2.5']) expect((await control('GET', `deliveries?${query}`)).status).toBe(400);
  });

  it('unknown control paths are 404 and wrong methods 405, without Graph’s innerError', async () => {
    const missing = await control('GET', 'nothing-here');
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'NotFound', message: expect.any(String) } } });
    expect(Object.keys(errorOf(missing))).toEqual(['code', 'message']);
    expect((await control('DELETE', 'calls')).status).toBe(405);
  });

  it('an incoming call ended from Graph’s side still shows first in GET /_emulator/calls', async () => {
    const placed = env.emulator.placeIncomingCall({ callbackUri: env.bot.url() });
    env.emulator.endCall(placed.id);
    await until(() => env.emulator.getCall(placed.id)?.state === 'terminated');
    const calls = ((await control('GET', 'calls')).body as { calls: CallSnapshot[] }).calls;
    expect(calls[0]).toMatchObject({ id: placed.id, state: 'terminated' });
  });
});
