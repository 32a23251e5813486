/** Requests a client controls but should not send: each is answered 4xx with a Graph error, none fails or stops the emulator. */
import { describe, it, expect, beforeAll } from '@jest/globals';
import { GraphEmulator } from '../src/index.js';
import { nestedDeeperThan } from '../src/http/json-depth.js';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from '../src/http/body.js';
import { portOf, rawRequest, request, useEmulator, user } from './helpers.js';

const badRequest = { error: expect.objectContaining({ code: 'BadRequest', message: expect.any(String) }) };

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

describe('bad requests', () => {
  let port: number;
  const log: string[] = [];
  // Like the CLI's --verbose logger: it serialises every body it is given.
  const env = useEmulator({ logger: (message, details) => log.push(`${message} ${JSON.stringify(details)}`) }, 'nothing');
  beforeAll(() => {
    port = portOf(env.emulator.url);
  });

  function groupCall(): string {
    return env.emulator.createCall({ callbackUri: env.bot.url(), kind: 'group', participants: [user('member')] }).id;
  }

  async function stillServes(): Promise<void> {
    expect((await request(env.emulator, 'GET', 'v1/keys')).status).toBe(200);
  }

  it('an absolute-form target that URL cannot parse is a 400, and the emulator goes on', async () => {
    for (const target of ['http://[/v1/keys', 'http://[::1/v1.0/communications/calls', 'http://127.0.0.1:99999/v1/keys']) {
      expect(await rawRequest(port, `GET ${target} HTTP/1.1`)).toEqual({ status: 400, body: badRequest });
    }
    expect(await rawRequest(port, `POST http://[/v1.0/communications/calls HTTP/1.1`, '{}')).toEqual({ status: 400, body: badRequest });
    // A valid absolute-form target is served.
    expect((await rawRequest(port, `GET http://127.0.0.1:${port}/v1/keys HTTP/1.1`)).status).toBe(200);
    await stillServes();
  });

  it('malformed percent-encoding in a path is a 400, not a 500', async () => {
    const callId = groupCall();
    const paths = [
      ['POST', 'v1.0/communications/calls/%E0%A4%A/keepAlive'],
      ['POST', 'v1.0/communications/calls/%zz/keepAlive'],
      ['GET', 'v1.0/communications/calls/%zz'],
      ['DELETE', 'v1.0/communications/calls/%E0%A4%A'],
      ['GET', `v1.0/communications/calls/${callId}/participants/%zz`],
      ['DELETE', `v1.0/communications/calls/${callId}/participants/%E0%A4%A`],
      ['GET', `v1.0/communications/calls/${callId}/operations/%zz`],
      ['POST', `v1.0/communications/calls/${callId}/participants/%zz/mute`],
      ['GET', 'recordings/%zz'],
      ['GET', 'nowhere/%zz'],
    ] as const;
    for (const [method, path] of paths) {
      const answer = await request(env.emulator, method, path);
      expect([method, path, answer.status, answer.body]).toEqual([method, path, 400, badRequest]);
    }
    // Well-formed escapes are still decoded once: an unknown call is a 404 that names it.
    const unknown = await request(env.emulator, 'GET', 'v1.0/communications/calls/a%2520b');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { message: 'Call a%20b was not found or has ended.' } });
    // A bad escape in the query is not read, so it does not matter.
    expect((await request(env.emulator, 'GET', `v1.0/communications/calls/${callId}?$select=%zz`)).status).toBe(200);
  });

  it('a deeply nested body (100 000 levels) is a 400 on every route that reads a body', async () => {
    const callId = groupCall();
    const deep = nested(100_000);
    for (const path of ['v1.0/communications/calls', `v1.0/communications/calls/${callId}/participants/invite`, `v1.0/communications/calls/${callId}/playPrompt`]) {
      const response = await fetch(new URL(path, env.emulator.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: deep });
      expect([path, response.status, await response.json()]).toEqual([path, 400, badRequest]);
    }
    // Deep inside an echoed member, too.
    const body = `{"callbackUri":"${env.bot.url()}","targets":[{"identity":{"user":{"id":"u"}}}],"subject":${nested(100_000)}}`;
    const response = await fetch(new URL('v1.0/communications/calls', env.emulator.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(response.status).toBe(400);
    expect(log.some((line) => line.includes('-> 500'))).toBe(false);
    await stillServes();
  });

  it(`a body ${MAX_JSON_DEPTH} levels deep is accepted (and echoed, logged, delivered); one more is refused`, async () => {
    const create = (subjectDepth: number) =>
      fetch(new URL('v1.0/communications/calls', env.emulator.url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        // The body object itself is the first level.
        body: `{"callbackUri":"${env.bot.url()}","targets":[{"identity":{"user":{"id":"u"}}}],"subject":${nested(subjectDepth - 1)}}`,
      });
    const accepted = await create(MAX_JSON_DEPTH);
    expect(accepted.status).toBe(201);
    await env.emulator.idle();
    expect((await create(MAX_JSON_DEPTH + 1)).status).toBe(400);
  });

  it('the depth check skips brackets inside strings', async () => {
    expect(nestedDeeperThan(`{"a":"${'['.repeat(1000)}\\"${'{'.repeat(1000)}"}`, 2)).toBe(false);
    expect(nestedDeeperThan('[[[]]]', 3)).toBe(false);
    expect(nestedDeeperThan('[[[[]]]]', 3)).toBe(true);
    expect(nestedDeeperThan('{"a":{"b":[{}]}}', 3)).toBe(true);
    const callId = groupCall();
    const answer = await request(env.emulator, 'POST', `v1.0/communications/calls/${callId}/playPrompt`, { prompts: [{ mediaInfo: { uri: `https://x/${'['.repeat(5000)}` } }] });
    expect(answer.status).toBe(200);
  });

  it(`a body over ${MAX_BODY_BYTES} bytes is a 413, by Content-Length or as it streams`, async () => {
    const big = `"${'a'.repeat(MAX_BODY_BYTES)}"`;
    const byLength = await fetch(new URL('v1.0/communications/calls', env.emulator.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big });
    expect(byLength.status).toBe(413);
    expect(await byLength.json()).toMatchObject({ error: { code: 'RequestEntityTooLarge' } });
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 3; i += 1) controller.enqueue(new TextEncoder().encode('a'.repeat(MAX_BODY_BYTES / 2)));
        controller.close();
      },
    });
    const streamed = await fetch(new URL('v1.0/communications/calls', env.emulator.url), { method: 'POST', body: chunks, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    await stillServes();
  });

  it('bodies that are not JSON, whatever their Content-Type, are a 400', async () => {
    const callId = groupCall();
    for (const [type, body] of [
      ['application/json', '{"participants":'],
      ['text/plain; charset=utf-16', 'participants'],
      ['application/x-www-form-urlencoded', 'a=b&c=%zz'],
      ['multipart/form-data; boundary=x', '--x\r\n\r\n--x--'],
    ] as const) {
      const response = await fetch(new URL(`v1.0/communications/calls/${callId}/participants/invite`, env.emulator.url), { method: 'POST', headers: { 'Content-Type': type }, body });
      expect([type, response.status, await response.json()]).toEqual([type, 400, badRequest]);
    }
    // A byte-order mark before JSON is read past.
    const bom = await fetch(new URL(`v1.0/communications/calls/${callId}/keepAlive`, env.emulator.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '\uFEFF{}' });
    expect(bom.status).toBe(200);
  });

  it('other methods are a 405 where a route exists and a 404 elsewhere, never a 500', async () => {
    const callId = groupCall();
    for (const method of ['PUT', 'PATCH', 'OPTIONS', 'HEAD', 'BREW']) {
      const known = await rawRequest(port, `${method} /v1.0/communications/calls/${callId} HTTP/1.1`);
      const unknown = await rawRequest(port, `${method} /nowhere HTTP/1.1`);
      // Node's parser refuses methods it does not know (400) before the emulator sees them.
      expect([method, known.status, unknown.status]).toEqual([method, ...(method === 'BREW' ? [400, 400] : [405, 404])]);
    }
  });

  it('an identity keyed __proto__ names nobody (400), and does not reach a prototype', async () => {
    const callId = groupCall();
    const body = `{"participants":[{"identity":{"__proto__":{"id":"u"}}}]}`;
    const response = await fetch(new URL(`v1.0/communications/calls/${callId}/participants/invite`, env.emulator.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(response.status).toBe(400);
    expect(({} as Record<string, unknown>).id).toBeUndefined();
  });

  it('a logger that throws fails neither requests nor callbacks', async () => {
    const noisy = await GraphEmulator.start({
      callbackDelayMs: 0,
      logger: () => {
        throw new Error('logger down');
      },
    });
    try {
      const call = noisy.createCall({ callbackUri: env.bot.url(), kind: 'group' });
      expect((await request(noisy, 'GET', 'v1/keys')).status).toBe(200);
      expect((await request(noisy, 'GET', 'v1.0/communications/calls/unknown')).status).toBe(404);
      expect((await request(noisy, 'POST', `v1.0/communications/calls/${call.id}/participants/invite`, { participants: [{ identity: user('x') }] })).status).toBe(200);
      await noisy.idle();
      expect(noisy.deliveries.map((d) => d.state)).toEqual(['delivered', 'delivered']);
    } finally {
      await noisy.close();
    }
  });
});
