import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from '@jest/globals';
import { Client } from '@microsoft/microsoft-graph-client';
import { GraphEmulator, type CommsNotification, type CommsNotifications, type GraphEmulatorOptions, type JsonObject } from '../src/index.js';

/** One callback as the test bot received it. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: CommsNotifications;
  /** The status the bot answered. */
  status: number;
}

/** Decides the bot's HTTP status for the n-th callback (from 0). */
export type Answer = (index: number, body: CommsNotifications) => number;

/** A tiny `node:http` bot that records the callbacks it receives. */
export class TestBot {
  readonly received: Received[] = [];
  answer: Answer = () => 202;
  /** How long the bot takes to answer the n-th callback, in ms (a slow bot). */
  delay: (index: number) => number = () => 0;
  /** Most callbacks the bot had in hand at once (answer not yet sent). */
  maxInFlight = 0;
  private inFlight = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<TestBot> {
    const holder: { bot?: TestBot } = {};
    const server = createServer((req, res) => {
      const self = holder.bot as TestBot;
      self.inFlight += 1;
      self.maxInFlight = Math.max(self.maxInFlight, self.inFlight);
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CommsNotifications;
        const index = self.received.length;
        const status = self.answer(index, body);
        self.received.push({ path: req.url ?? '/', headers: req.headers, body, status });
        setTimeout(() => {
          self.inFlight -= 1;
          res.writeHead(status).end();
        }, self.delay(index));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.bot = new TestBot(server, (server.address() as AddressInfo).port);
    return holder.bot;
  }

  /** The callbackUri to give the emulator. */
  url(path = '/api/calls'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** Every notification received, flattened, with the path it came to. */
  notifications(): Array<CommsNotification & { path: string }> {
    return this.received.flatMap((r) => r.body.value.map((n) => ({ ...n, path: r.path })));
  }

  /** Notifications about one call (matched on resourceUrl). */
  about(callId: string): CommsNotification[] {
    return this.notifications().filter((n) => n.resourceUrl.startsWith(`/communications/calls/${callId}`));
  }

  reset(): void {
    this.received.length = 0;
    this.answer = () => 202;
    this.delay = () => 0;
    this.maxInFlight = 0;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

/** What {@link useEmulator} does before each test: reset the bot and clear the faults, reset the bot only, or nothing. */
export type BetweenTests = 'resetAll' | 'resetBot' | 'nothing';

/** The emulator and bot of a describe block; valid inside its tests and hooks (they are started in beforeAll). */
export interface EmulatorFixture {
  readonly emulator: GraphEmulator;
  readonly bot: TestBot;
}

/**
 * Registers the jest hooks of a describe block that shares one emulator (started with `options`)
 * and one {@link TestBot}: start both before all tests, close both after, and `between` before each.
 */
export function useEmulator(options: GraphEmulatorOptions = {}, between: BetweenTests = 'resetAll'): EmulatorFixture {
  let emulator: GraphEmulator | undefined;
  let bot: TestBot | undefined;
  beforeAll(async () => {
    emulator = await GraphEmulator.start(options);
    bot = await TestBot.start();
  });
  afterAll(async () => {
    await emulator?.close();
    await bot?.close();
  });
  if (between !== 'nothing') {
    beforeEach(() => {
      bot?.reset();
      if (between === 'resetAll') emulator?.faults.clear();
    });
  }
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} starts in beforeAll: use it inside a test or a hook`);
    return value;
  };
  return {
    get emulator() {
      return started(emulator, 'emulator');
    },
    get bot() {
      return started(bot, 'bot');
    },
  };
}

/** The real Graph client, pointed at the emulator (it does not attach the token to a non-Graph host). */
export function graphClient(emulator: GraphEmulator): Client {
  return Client.init({ baseUrl: emulator.url, authProvider: (done) => done(null, 'test-token') });
}

/** A user identity set. */
export function user(id: string): JsonObject {
  return { '@odata.type': '#microsoft.graph.identitySet', user: { '@odata.type': '#microsoft.graph.identity', id, identityProvider: 'AAD' } };
}

/** An invitationParticipantInfo for `identity`. */
export function invitee(identity: JsonObject, extra: JsonObject = {}): JsonObject {
  return { '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity, ...extra };
}

/** Plain JSON request to the emulator. */
export async function request(emulator: GraphEmulator, method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; body: unknown }> {
  const response = await fetch(new URL(path, emulator.url), {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** What a raw HTTP exchange answered: the status line's code and the parsed JSON body. */
export interface RawAnswer {
  status: number;
  body: unknown;
}

/**
 * Sends `head` (request line and headers, without the blank line) and `body` over a plain
 * TCP socket, so that a request line no HTTP client would send reaches the server as it is.
 */
export async function rawRequest(port: number, head: string, body = ''): Promise<RawAnswer> {
  const text = await new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer to ${head.split('\r\n')[0] ?? head}`)));
    socket.on('data', (chunk: string) => (received += chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(received));
    socket.write(`${head}\r\nHost: 127.0.0.1\r\nConnection: close\r\n${body === '' ? '' : `Content-Length: ${Buffer.byteLength(body)}\r\n`}\r\n${body}`);
  });
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
  const payload = text.slice(text.indexOf('\r\n\r\n') + 4);
  let parsed: unknown;
  try {
    parsed = payload === '' ? undefined : (JSON.parse(payload) as unknown);
  } catch {
    parsed = payload;
  }
  return { status, body: parsed };
}

/** The port of the emulator's base URL. */
export function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Waits until `check` holds (polling), failing after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 3000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The call notifications about one call, as `[changeType, state]` pairs (roster and operations left out). */
export function callStates(bot: TestBot, callId: string): Array<[string, unknown]> {
  return bot
    .notifications()
    .filter((n) => n.resourceUrl === `/communications/calls/${callId}`)
    .map((n) => [n.changeType, (n.resourceData as JsonObject).state]);
}

/** The last call resource notified about one call. */
export function lastCallData(bot: TestBot, callId: string): JsonObject | undefined {
  return bot.notifications().filter((n) => n.resourceUrl === `/communications/calls/${callId}`).at(-1)?.resourceData as JsonObject | undefined;
}
