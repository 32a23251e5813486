import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { GraphEmulator, type CallSnapshot, type JsonObject } from '../../src/index.js';
import { TestBot, request, until } from '../helpers.js';
import { callItem, callShownIn, countIs, launchChromium, openInspector, refusingBot, rosterRow, selectCall, shown, type Inspector } from './browser.js';

/*
 * The inspector page in a real Chromium, against a real emulator and small node:http bots:
 * what it shows arrives by its event stream (no reload), and what it does goes through
 * the control API. Bots with the engine are in the repository's test/browser.
 */

let emulator: GraphEmulator;
let bot: TestBot;
let refusing: Awaited<ReturnType<typeof refusingBot>>;
let browser: Browser;
let inspector: Inspector;

beforeAll(async () => {
  [emulator, bot, refusing, browser] = await Promise.all([GraphEmulator.start({ callbackDelayMs: 1, autoAnswerMs: 2, operationDelayMs: 5 }), TestBot.start(), refusingBot(), launchChromium()]);
  inspector = await openInspector(browser, emulator.url);
}, 30_000);

afterAll(async () => {
  await inspector?.close();
  await browser?.close();
  await emulator?.close();
  await bot?.close();
  await refusing?.close();
});

afterEach(() => {
  expect(inspector.errors).toEqual([]);
});

const page = () => inspector.page;
let fixture: CallSnapshot;

describe('the inspector page', () => {
  it('is served at / with its files, and names the emulator', async () => {
    const html = await fetch(emulator.url);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    for (const [file, type] of [['inspector.js', /javascript/], ['dom.js', /javascript/], ['inspector.css', /^text\/css/], ['favicon.svg', /svg/]] as const) {
      const res = await fetch(new URL(`_emulator/inspector/${file}`, emulator.url));
      expect([file, res.status]).toEqual([file, 200]);
      expect(res.headers.get('content-type')).toMatch(type);
    }
    expect((await fetch(new URL('_emulator/inspector/route.ts', emulator.url))).status).toBe(404);
    await shown(page().locator('#info dd', { hasText: emulator.appId }));
  });

  it('shows a call within a second of its creation, established, with its roster and its notifications delivered', async () => {
    fixture = emulator.createCall({ callbackUri: bot.url(), participants: [{ user: { id: 'u-ada', displayName: 'Ada Lovelace' } }], announce: true });
    await shown(callItem(page(), fixture.id), 1_000);
    await callShownIn(page(), fixture.id, 'established');
    await selectCall(page(), fixture.id);
    await shown(rosterRow(page(), 'Ada Lovelace'));
    await until(() => emulator.deliveries.filter((d) => d.callId === fixture.id).every((d) => d.state === 'delivered'), 3_000, 'the callbacks');
    const count = emulator.deliveries.filter((d) => d.callId === fixture.id).length;
    await countIs(page().locator('#timeline .entry.delivery[data-state="delivered"]'), count);
    expect(await page().locator('#timeline .entry.delivery .delivery-status').allTextContents()).toEqual(Array(count).fill('202'));
    expect(await page().locator('#timeline .entry.failure').count()).toBe(0);
  });

  it('shows a notification the bot refused with 401 as a failure, with its error code, and its body on click', async () => {
    const call = emulator.placeIncomingCall({ callbackUri: refusing.url, from: { user: { id: 'u-eve', displayName: 'Eve' } } });
    await shown(callItem(page(), call.id).locator('.fail-count', { hasText: '1 failed' }));
    await selectCall(page(), call.id);
    const failure = await shown(page().locator('#timeline .entry.delivery.failure', { hasText: '401 invalid_token' }));
    expect(await failure.getAttribute('data-state')).toBe('rejected');
    await failure.locator('button').click();
    await shown(page().locator('#body-meta .attempts tr.failure', { hasText: '401 invalid_token' }));
    const body = JSON.parse((await page().locator('#body').textContent()) ?? '') as { value: Array<{ changeType: string; resourceData: JsonObject }> };
    expect(body.value[0]).toMatchObject({ changeType: 'created', resourceData: { id: call.id, state: 'incoming' } });
  });

  it('shows notifications nobody answered (refused, after every attempt) and 5xx answers as failures', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const nobody = emulator.createCall({ callbackUri: `http://127.0.0.1:${closedPort}/api/calls`, announce: true });
    await selectCall(page(), nobody.id);
    await shown(page().locator('#timeline .entry.delivery.failure[data-state="failed"]', { hasText: 'refused ×3' }));

    bot.answer = () => 503;
    const busy = emulator.createCall({ callbackUri: bot.url('/api/busy'), announce: true });
    await selectCall(page(), busy.id);
    await shown(page().locator('#timeline .entry.delivery.failure[data-state="failed"]', { hasText: '503 ×3' }));
    bot.answer = () => 202;
    emulator.endCall(nobody.id);
    emulator.endCall(busy.id);
  });

  it('adds a participant from the page, mutes, unmutes and removes them; names are text, not markup', async () => {
    await selectCall(page(), fixture.id);
    const name = 'Grace <b>Hopper</b> <img src=x onerror=alert(1)>';
    await page().locator('#participant-name').fill(name);
    await page().locator('#participant-add').click();
    const row = await shown(rosterRow(page(), 'Grace <b>Hopper</b>'));
    expect(await page().locator('#roster b, #roster img').count()).toBe(0);
    const joined = emulator.getCall(fixture.id)?.participants.find((p) => JSON.stringify(p).includes('Grace'));
    expect(joined).toBeDefined();
    const pid = String(joined?.['id']);
    await shown(page().locator('#timeline .entry.delivery', { hasText: 'roster updated: Grace' }));

    await row.locator('button.toggle-mute').click();
    await shown(page().locator(`#roster tr[data-participant-id="${pid}"][data-muted="true"]`, { hasText: 'muted' }));
    expect(emulator.getCall(fixture.id)?.participants.find((p) => p['id'] === pid)?.['isMuted']).toBe(true);
    await page().locator(`#roster tr[data-participant-id="${pid}"] button.toggle-mute`).click();
    await shown(page().locator(`#roster tr[data-participant-id="${pid}"][data-muted="false"]`));

    await page().locator(`#roster tr[data-participant-id="${pid}"] button.remove`).click();
    await page().locator(`#roster tr[data-participant-id="${pid}"]`).waitFor({ state: 'detached', timeout: 3_000 });
    expect(emulator.getCall(fixture.id)?.participants.some((p) => p['id'] === pid)).toBe(false);
  });

  it("sends a keypad key once the bot subscribed to tones, and shows the bot's Graph request with its body", async () => {
    await selectCall(page(), fixture.id);
    await page().locator('#keypad button[data-tone="tone7"]').click();
    await shown(page().locator('#toast', { hasText: 'not sent' }));

    const subscribed = await request(emulator, 'POST', `/v1.0/communications/calls/${fixture.id}/subscribeToTone`, { clientContext: 'ctx-tones' });
    expect(subscribed.status).toBe(200);
    await shown(page().locator('#tone-hint', { hasText: 'The bot gets each key' }));
    const received = bot.received.length;
    await page().locator('#keypad button[data-tone="pound"]').click();
    await until(() => bot.received.slice(received).some((r) => JSON.stringify(r.body).includes('"tone":"pound"')), 3_000, 'the pound key at the bot');
    await shown(page().locator('#timeline .entry.delivery', { hasText: 'key pound' }));

    const graphRequest = await shown(page().locator('#timeline .entry.request', { hasText: '…/subscribeToTone' }));
    await graphRequest.locator('button').click();
    await shown(page().locator('#body-meta', { hasText: 'POST 200' }));
    expect(JSON.parse((await page().locator('#body').textContent()) ?? '')).toEqual({ clientContext: 'ctx-tones' });
  });

  it('ends the call from the page: shown terminated, its controls off', async () => {
    await selectCall(page(), fixture.id);
    await page().locator('#end-call').click();
    await callShownIn(page(), fixture.id, 'terminated');
    await shown(page().locator('#call-header .state[data-state="terminated"]'));
    expect(await page().locator('#end-call').isDisabled()).toBe(true);
    expect(await page().locator('#keypad button').first().isDisabled()).toBe(true);
    expect(emulator.getCall(fixture.id)?.state).toBe('terminated');
  });

  it('places an incoming call from the form, without a reload; remembers the callback URL across reloads', async () => {
    expect(inspector.loads()).toBe(1);
    await page().locator('#incoming-url').fill(bot.url('/api/other'));
    await page().locator('#incoming-name').fill('Alan Turing');
    await page().locator('#incoming-kind').selectOption('group');
    const before = new Set(emulator.deliveries.map((d) => d.callId));
    await page().locator('#incoming-submit').click();
    await until(() => emulator.deliveries.some((d) => !before.has(d.callId) && d.url === bot.url('/api/other')), 3_000, 'the created notification');
    const placed = emulator.deliveries.find((d) => !before.has(d.callId))?.callId ?? '';
    expect(emulator.getCall(placed)).toMatchObject({ state: 'incoming', kind: 'group' });
    await shown(page().locator(`.call-item.selected[data-call-id="${placed}"][data-state="incoming"]`, { hasText: 'from Alan Turing' }));
    await shown(page().locator('#timeline .entry.delivery[data-state="delivered"]', { hasText: 'call created incoming' }));
    expect(inspector.loads()).toBe(1);

    await page().reload({ waitUntil: 'load' });
    await shown(page().locator('#connection[data-state="live"]'), 10_000);
    expect(await page().locator('#incoming-url').inputValue()).toBe(bot.url('/api/other'));
    // After the reload, the snapshot brings back every call, with its state.
    await callShownIn(page(), fixture.id, 'terminated');
    await callShownIn(page(), placed, 'incoming');
  });
});
