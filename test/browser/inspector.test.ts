import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { sameId } from '@graph-comms/core';
import { startStack, waitForEvent, type Stack } from '../helpers/stack.js';
import { callItem, callShownIn, launchChromium, openInspector, refusingBot, rosterRow, selectCall, shown, type Inspector } from '../../packages/emulator/test/browser/browser.js';

/*
 * The emulator's inspector page in a real Chromium, driving a real CallingBot (emulator →
 * signed callbacks → Express → bot): everything the page shows comes by its event stream,
 * without a reload, and what it does reaches the bot as Graph would send it.
 */

/** The README's picture: `UPDATE_SCREENSHOT=1 node --expose-gc --experimental-vm-modules node_modules/jest/bin/jest.js test/browser` writes it again. */
const SCREENSHOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'inspector.png');

let stack: Stack;
let refusing: Awaited<ReturnType<typeof refusingBot>>;
let browser: Browser;
let inspector: Inspector;

beforeAll(async () => {
  [stack, refusing, browser] = await Promise.all([startStack({ emulator: { operationDelayMs: 30 }, botCallbackUri: true }), refusingBot(), launchChromium()]);
  // Every call offered to the bot is answered.
  stack.bot.on('incomingCall', (event) => void event.answer());
  inspector = await openInspector(browser, stack.emulator.url);
}, 30_000);

afterAll(async () => {
  await inspector?.close();
  await browser?.close();
  await stack?.close();
  await refusing?.close();
});

afterEach(() => {
  expect(inspector.errors).toEqual([]);
  expect(stack.rec.errors).toEqual([]);
  expect(inspector.loads()).toBe(1);
});

const page = () => inspector.page;
const user = (id: string, displayName: string) => ({ identity: { user: { id, displayName } } });
let placedId = '';
let answeredId = '';

describe('the inspector page, with a CallingBot', () => {
  it('shows a call the bot places within a second, established, with its Graph request and notifications', async () => {
    const call = await stack.bot.createCall({ targets: [user('u-adele', 'Adele Vance')] });
    placedId = call.id;
    await shown(callItem(page(), call.id), 1_000);
    await waitForEvent(stack, 'callEstablished', (e) => sameId(e.callId, call.id));
    await callShownIn(page(), call.id, 'established');
    await selectCall(page(), call.id);
    await shown(page().locator('#timeline .entry.request', { hasText: '/communications/calls' }).filter({ hasText: '201' }));
    await shown(page().locator('#timeline .entry.delivery[data-state="delivered"]', { hasText: 'call updated established' }));
    await shown(rosterRow(page(), 'Adele Vance'));
  });

  it('shows a notification refused with 401 as a failure, with invalid_token', async () => {
    const call = stack.emulator.placeIncomingCall({ callbackUri: refusing.url, from: { user: { id: 'u-mallory', displayName: 'Mallory' } } });
    await shown(callItem(page(), call.id).locator('.fail-count'));
    await selectCall(page(), call.id);
    await shown(page().locator('#timeline .entry.delivery.failure[data-state="rejected"]', { hasText: '401 invalid_token' }));
    stack.emulator.endCall(call.id);
    await callShownIn(page(), call.id, 'terminated');
  });

  it('adds a participant from the page: the roster shows them, and the bot hears of it', async () => {
    await selectCall(page(), placedId);
    await page().locator('#participant-name').fill('Megan Bowen');
    await page().locator('#participant-add').click();
    await shown(rosterRow(page(), 'Megan Bowen'));
    await waitForEvent(stack, 'rosterUpdated', (e) => sameId(e.callId, placedId) && JSON.stringify(e).includes('Megan Bowen'));
    await rosterRow(page(), 'Megan Bowen').locator('button.toggle-mute').click();
    await shown(rosterRow(page(), 'Megan Bowen').locator('.mute.is-muted'));
  });

  it('sends a key pressed on the keypad to the bot as toneReceived, after its subscribeToTone', async () => {
    await stack.bot.call(placedId).subscribeToTone();
    await selectCall(page(), placedId);
    await shown(page().locator('#tone-hint', { hasText: 'The bot gets each key' }));
    await page().locator('#keypad button[data-tone="tone5"]').click();
    await expect(waitForEvent(stack, 'toneReceived', (e) => sameId(e.callId, placedId))).resolves.toEqual({ eventId: expect.any(String), callId: placedId, tone: 'tone5', sequenceId: 1 });
    await shown(page().locator('#timeline .entry.delivery', { hasText: 'key tone5' }));
  });

  it('places an incoming call from the page: the bot answers it, and the page shows it established', async () => {
    await page().locator('#incoming-url').fill(stack.callbackUri);
    await page().locator('#incoming-name').fill('Alex Wilber');
    await page().locator('#incoming-submit').click();
    const incoming = await waitForEvent(stack, 'incomingCall', (e) => JSON.stringify(e.call).includes('Alex Wilber'));
    answeredId = incoming.callId;
    await waitForEvent(stack, 'callEstablished', (e) => sameId(e.callId, answeredId));
    await callShownIn(page(), answeredId, 'established');
    await shown(page().locator('#call-header .state[data-state="established"]'));
    await shown(page().locator('#timeline .entry.request', { hasText: '…/answer' }).filter({ hasText: '202' }));
  });

  it('looks right with a call on it (docs/inspector.png)', async () => {
    const play = await stack.bot.call(placedId).playPrompt({ prompts: [{ mediaInfo: { uri: 'https://example.com/prompts/welcome.wav' } }], clientContext: 'welcome' });
    await play.completion;
    stack.emulator.faults.nextOperation('playPrompt', { neverComplete: true });
    await stack.bot.call(placedId).playPrompt({ prompts: [{ mediaInfo: { uri: 'https://example.com/prompts/menu.wav' } }], clientContext: 'menu' });
    await selectCall(page(), placedId);
    await shown(page().locator('#ops-pending li[data-status="running"]', { hasText: 'playPrompt' }));
    await page().locator('#timeline .entry.delivery', { hasText: 'key tone5' }).locator('button').click();
    await shown(page().locator('#body', { hasText: 'toneInfo' }));
    await page().locator('#toast').evaluate((el) => (el.hidden = true));
    // Tall enough for the whole call, from its header to the end of its timeline.
    await page().setViewportSize({ width: 1440, height: 1160 });
    await page().locator('.detail').evaluate((el) => el.scrollTo(0, 0));
    await page().mouse.move(0, 0);
    // Written only when asked (UPDATE_SCREENSHOT=1), so that a test run leaves the committed picture alone.
    const update = process.env['UPDATE_SCREENSHOT'] === '1';
    if (update) mkdirSync(dirname(SCREENSHOT), { recursive: true });
    const png = await page().screenshot({ animations: 'disabled', ...(update ? { path: SCREENSHOT } : {}) });
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    await page().setViewportSize({ width: 1440, height: 900 });
  });

  it('ends a call from the page: the bot hears it terminated, and the page shows it', async () => {
    await selectCall(page(), answeredId);
    await page().locator('#end-call').click();
    await waitForEvent(stack, 'callTerminated', (e) => sameId(e.callId, answeredId));
    await callShownIn(page(), answeredId, 'terminated');
    await shown(page().locator('#call-header .state[data-state="terminated"]'));
    await stack.bot.call(placedId).hangUp();
    await callShownIn(page(), placedId, 'terminated');
  });
});
