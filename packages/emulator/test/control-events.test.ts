/** The control API's event stream: hello, call, delivery and request events; reconnecting; a client that never reads. */
import { describe, it, expect } from '@jest/globals';
import { connect } from 'node:net';
import type { CallSnapshot, DeliverySnapshot } from '../src/index.js';
import { EventStream } from './sse-client.js';
import { portOf, request, useEmulator, user } from './helpers.js';

describe('GET /_emulator/events', () => {
  const env = useEmulator({ callbackDelayMs: 0, autoAnswerMs: 0 });
  const eventsUrl = () => new URL('_emulator/events', env.emulator.url).toString();

  it('is an event stream that starts with hello', async () => {
    const stream = await EventStream.open(eventsUrl());
    try {
      expect(stream.response.statusCode).toBe(200);
      expect(stream.response.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(stream.response.headers['cache-control']).toMatch(/no-cache/);
      expect(await stream.next('hello')).toEqual({ appId: env.emulator.appId, tenantId: env.emulator.tenantId, baseUrl: env.emulator.url });
      expect(stream.events[0]?.event).toBe('hello');
    } finally {
      stream.close();
    }
  });

  it('sends a call event and delivery events once a call is placed', async () => {
    const stream = await EventStream.open(eventsUrl());
    try {
      await stream.next('hello');
      const placed = await request(env.emulator, 'POST', '_emulator/calls/incoming', { callbackUri: env.bot.url() });
      const id = (placed.body as CallSnapshot).id;
      expect(await stream.next<CallSnapshot>('call', (c) => c.id === id)).toMatchObject({ id, state: 'incoming', direction: 'incoming', participants: [] });
      expect(await stream.next<DeliverySnapshot>('delivery', (d) => d.callId === id && d.state === 'pending')).toMatchObject({ kind: 'call', attempts: [] });
      const delivered = await stream.next<DeliverySnapshot>('delivery', (d) => d.callId === id && d.state === 'delivered');
      expect(delivered).toMatchObject({ status: 202, attempts: [{ status: 202, latencyMs: expect.any(Number), at: expect.any(Number) }] });
      expect(delivered.body.value[0]).toMatchObject({ changeType: 'created' });

      // A Graph API request: a request event, and the call event of the change it made.
      const answered = await request(env.emulator, 'POST', `v1.0/communications/calls/${id}/reject`, { reason: 'busy' });
      expect(answered.status).toBe(202);
      expect(await stream.next('request', (r: { path: string }) => r.path.endsWith('/reject'))).toEqual({
        time: expect.any(Number),
        method: 'POST',
        path: `/v1.0/communications/calls/${id}/reject`,
        status: 202,
        body: { reason: 'busy' },
      });
      expect(await stream.next<CallSnapshot>('call', (c) => c.id === id && c.state === 'terminated')).toMatchObject({ resultInfo: { code: 200, subcode: 7000 } });
      // Roster changes and control requests show as call events; control requests are not request events.
      const fixture = env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group' });
      env.emulator.addParticipant(fixture.id, user('sse-1'));
      expect(await stream.next<CallSnapshot>('call', (c) => c.id === fixture.id && c.participants.length === 2)).toBeDefined();
      expect(stream.events.filter((e) => e.event === 'request').every((e) => !(e.data as { path: string }).path.startsWith('/_emulator/'))).toBe(true);
    } finally {
      stream.close();
    }
  });

  it('lets clients reconnect, and each gets every event', async () => {
    const first = await EventStream.open(eventsUrl());
    first.close();
    const a = await EventStream.open(eventsUrl());
    const b = await EventStream.open(eventsUrl());
    try {
      await a.next('hello');
      await b.next('hello');
      const call = env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group', announce: true });
      await a.next<CallSnapshot>('call', (c) => c.id === call.id);
      await b.next<CallSnapshot>('call', (c) => c.id === call.id);
    } finally {
      a.close();
      b.close();
    }
  });

  it('drops a client that never reads instead of buffering for it', async () => {
    const socket = connect(portOf(env.emulator.url), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write('GET /_emulator/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    socket.pause();
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Each of these requests is published as a request event of about 900 kB.
    const big = JSON.stringify({ note: 'x'.repeat(900_000) });
    const count = 60;
    for (let i = 0; i < count; i += 1) {
      const response = await fetch(new URL('v1.0/communications/calls', env.emulator.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big });
      expect(response.status).toBe(400);
      await response.arrayBuffer();
    }
    // A reading client still gets its events.
    const reader = await EventStream.open(eventsUrl());
    try {
      await reader.next('hello');
      const ended = new Promise<number>((resolve) => {
        let received = 0;
        socket.on('data', (chunk: Buffer) => (received += chunk.length));
        socket.once('close', () => resolve(received));
      });
      socket.resume();
      const received = await ended;
      // The stalled client was disconnected long before it was sent everything.
      expect(received).toBeLessThan((count * big.length) / 2);
      const call = env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group', announce: true });
      await reader.next<CallSnapshot>('call', (c) => c.id === call.id);
    } finally {
      reader.close();
      socket.destroy();
    }
  }, 30_000);
});
