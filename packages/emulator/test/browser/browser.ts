import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** How long a test waits for the page to show something (bounded: a missing update fails the test). */
export const SHOWN_MS = 3_000;

/** Debian's Chromium: `$CHROMIUM_PATH`, `/usr/bin/chromium`, or `chromium`/`chromium-browser` on PATH. */
export function chromiumPath(): string {
  const candidates = [process.env['CHROMIUM_PATH'], '/usr/bin/chromium'];
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir !== '') candidates.push(join(dir, 'chromium'), join(dir, 'chromium-browser'));
  }
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === '') continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there: the next one
    }
  }
  throw new Error('No Chromium found for the browser tests: install it (Debian: apt-get install chromium) or set CHROMIUM_PATH');
}

/** One headless Chromium for a test file. */
export function launchChromium(): Promise<Browser> {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    timeout: 15_000,
    args: [...(root ? ['--no-sandbox'] : []), '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

/** The inspector open in a fresh context (its own localStorage), with every console error and page error it raised. */
export interface Inspector {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions of the page, as text. */
  errors: string[];
  /** How many times the page loaded (1: never reloaded). */
  loads(): number;
  close(): Promise<void>;
}

export async function openInspector(browser: Browser, url: string, viewport = { width: 1440, height: 900 }): Promise<Inspector> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(SHOWN_MS);
  const errors: string[] = [];
  let loads = 0;
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('load', () => (loads += 1));
  await page.goto(url, { waitUntil: 'load', timeout: 10_000 });
  await live(page);
  return { page, context, errors, loads: () => loads, close: () => context.close() };
}

/** Resolves once the page's event stream said hello and the first snapshot was drawn. */
export async function live(page: Page): Promise<void> {
  await page.locator('#connection[data-state="live"]').waitFor({ timeout: 10_000 });
}

/** The call's entry in the list of calls. */
export const callItem = (page: Page, callId: string): Locator => page.locator(`.call-item[data-call-id="${callId}"]`);

/** Waits until `locator` (the first match) is shown, within `timeoutMs`. */
export async function shown(locator: Locator, timeoutMs = SHOWN_MS): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return locator.first();
}

/** Waits until `locator` matches `count` elements, within `timeoutMs`. */
export async function countIs(locator: Locator, count: number, timeoutMs = SHOWN_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = await locator.count();
  while (seen !== count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} matches of ${String(locator)}, saw ${seen} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    seen = await locator.count();
  }
}

/** Selects a call in the list and waits until its details are shown. */
export async function selectCall(page: Page, callId: string): Promise<void> {
  await (await shown(callItem(page, callId))).click();
  await shown(page.locator('#call-id', { hasText: callId }));
}

/** The selected call's roster row of a participant named `name`. */
export const rosterRow = (page: Page, name: string): Locator => page.locator('#roster tr', { has: page.locator('.who', { hasText: name }) });

/** Waits until the selected call is shown in `state`. */
export async function callShownIn(page: Page, callId: string, state: string, timeoutMs = SHOWN_MS): Promise<void> {
  await shown(page.locator(`.call-item[data-call-id="${callId}"][data-state="${state}"]`), timeoutMs);
}

/** A bot that refuses every callback with 401 `{ error: { code: 'invalid_token' } }`, as a bot whose token check fails. */
export async function refusingBot(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: 'invalid_token', message: 'The token was not signed by a known key.' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
