/** What review found: the control API refuses foreign pages, invites wait for an answered call, close() never hangs. */
import { describe, it, expect } from '@jest/globals';
import { request } from 'node:http';
import { GraphEmulator } from '../src/index.js';
import { TestBot, portOf, useEmulator } from './helpers.js';

/** A POST with the headers a browser (or a rebinding attacker) would send. */
function post(url: string, path: string, headers: Record<string, string>, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: portOf(url), path, method: 'POST', headers: { 'content-type': 'text/plain', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('guards', () => {
  const env = useEmulator({ callbackDelayMs: 1, autoAnswerMs: 2 });

  it('refuses control API writes from another origin, and requests to a domain name (DNS rebinding)', async () => {
    const { url } = env.emulator;
    const incoming = { callbackUri: env.bot.url() };
    const host = new URL(url).host;
    expect(await post(url, '/_emulator/calls/incoming', { origin: 'https://evil.example', host }, incoming)).toBe(403);
    expect(await post(url, '/_emulator/calls/incoming', { host: `evil.example:${portOf(url)}` }, incoming)).toBe(403);
    const listed = (await (await fetch(new URL('_emulator/calls', url))).json()) as { calls: unknown[] };
    expect(listed.calls).toHaveLength(0);
    // The inspector's own page (same origin), and curl (no Origin), are served.
    expect(await post(url, '/_emulator/calls/incoming', { origin: `http://${host}`, host }, incoming)).toBe(201);
    expect(await post(url, '/_emulator/calls/incoming', { host: `localhost:${portOf(url)}` }, incoming)).toBe(201);
  });

  it('refuses an invite into a call the bot has not answered (400), and into one that is ending (404)', async () => {
    const { url } = env.emulator;
    const invite = JSON.stringify({ participants: [{ identity: { user: { id: 'u-1' } } }] });
    const send = (id: string) => fetch(new URL(`v1.0/communications/calls/${id}/participants/invite`, url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: invite });
    const offered = env.emulator.placeIncomingCall({ callbackUri: env.bot.url() });
    expect((await send(offered.id)).status).toBe(400);
    const call = env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group' });
    env.emulator.endCall(call.id);
    expect((await send(call.id)).status).toBe(404);
  });

  it('closes while a hang-up’s 204 is held back (overtake)', async () => {
    const bot = await TestBot.start();
    const emulator = await GraphEmulator.start({ callbackDelayMs: 1 });
    const call = emulator.createCall({ callbackUri: bot.url(), kind: 'group' });
    emulator.faults.nextOperation('hangUp', { overtake: true });
    void fetch(new URL(`v1.0/communications/calls/${call.id}`, emulator.url), { method: 'DELETE' }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 20));
    let closed = false;
    const closing = emulator.close().then(() => (closed = true));
    await Promise.race([closing, new Promise((r) => setTimeout(r, 2000))]);
    expect(closed).toBe(true);
    await bot.close();
  });
});
