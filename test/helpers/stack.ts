import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { expect } from '@jest/globals';
import express from 'express';
import { Client } from '@microsoft/microsoft-graph-client';
import { CallingBot, createGraphTokenVerifier, sameId, type CallingBotEventPayloads, type CallingBotOptions, type CallStore, type LogFn, type Logger } from '@graph-comms/core';
import { createCallbackMiddleware } from '@graph-comms/express-adapter';
import { GraphEmulator, type GraphEmulatorOptions } from '@graph-comms/emulator';
import { recordEvents } from './recorder.js';

/** The whole chain on 127.0.0.1: emulator → signed callbacks → Express → bot → events. */
export interface Stack {
  emulator: GraphEmulator;
  bot: CallingBot;
  graphClient: Client;
  callbackUri: string;
  rec: ReturnType<typeof recordEvents>;
  close(): Promise<void>;
}

export interface StackOptions {
  emulator?: GraphEmulatorOptions;
  store?: CallStore;
  keyRefreshCooldownMs?: number;
  /** Options of the bot beyond what the stack wires (appId, graphClient, tokenVerifier, store), e.g. `operationTimeoutMs`. */
  bot?: Partial<Omit<CallingBotOptions, 'appId' | 'graphClient' | 'tokenVerifier' | 'store'>>;
  /**
   * Gives the bot the stack's own `callbackUri` as its `callbackUri` option (sent with answer,
   * reject, redirect, createCall and joinMeeting), unless `bot.callbackUri` names another. Default false.
   */
  botCallbackUri?: boolean;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const emulator = await GraphEmulator.start({ callbackDelayMs: 1, autoAnswerMs: 2, ...options.emulator });
  const graphClient = Client.init({ baseUrl: emulator.url, authProvider: (done) => done(null, 'emulator-token') });
  const tokenVerifier = createGraphTokenVerifier({
    appId: emulator.appId,
    logger: false, // tests of the verifier's logs make their own
    openIdConfigurationUrl: emulator.openIdConfigurationUrl,
    ...(options.keyRefreshCooldownMs === undefined ? {} : { keyRefreshCooldownMs: options.keyRefreshCooldownMs }),
  });
  // Listening first, so that the bot can be given the callbackUri; the route goes on once the bot exists.
  const app = express();
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const callbackUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`;
  let bot: CallingBot;
  try {
    bot = new CallingBot({
      ...(options.botCallbackUri ? { callbackUri } : {}),
      // Quiet unless a test gives its own logger: the end-to-end tests refuse and fail on purpose.
      logger: false,
      ...options.bot,
      appId: emulator.appId,
      graphClient,
      tokenVerifier,
      ...(options.store ? { store: options.store } : {}),
    });
  } catch (error) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await emulator.close();
    throw error;
  }
  const rec = recordEvents(bot);
  app.post('/api/calls', createCallbackMiddleware(bot));
  return {
    emulator,
    bot,
    graphClient,
    callbackUri,
    rec,
    async close() {
      await emulator.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bot.close();
    },
  };
}

/**
 * The first `name` event whose payload matches: one recorded already, or the next one. Rejects
 * after `timeoutMs`, naming what was recorded, so that a missing event fails the test rather
 * than hanging it.
 */
export function waitForEvent<K extends keyof CallingBotEventPayloads>(
  stack: Stack,
  name: K,
  match: (payload: CallingBotEventPayloads[K]) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<CallingBotEventPayloads[K]> {
  const seen = stack.rec.of(name).find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const listener = (payload: CallingBotEventPayloads[K]) => {
      if (!match(payload)) return;
      clearTimeout(timer);
      stack.bot.off(name, listener as never);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      stack.bot.off(name, listener as never);
      reject(new Error(`no matching ${name} event within ${timeoutMs} ms; recorded: ${stack.rec.names().join(', ') || 'nothing'}`));
    }, timeoutMs);
    stack.bot.on(name, listener as never);
  });
}

/** The bot's recorded events of one call (by `callId`), in order: their payloads by name, their names, and the states its `callUpdated` told. */
export function eventsOf(stack: Stack, callId: string) {
  const mine = () => stack.rec.events.filter((e) => sameId((e.payload as { callId?: string }).callId, callId));
  return {
    of: <K extends keyof CallingBotEventPayloads>(name: K) => mine().filter((e) => e.name === name).map((e) => e.payload as CallingBotEventPayloads[K]),
    names: () => mine().map((e) => e.name),
    states: () => mine().flatMap((e) => (e.name === 'callUpdated' ? [e.payload.state] : [])),
  };
}

/** For `afterEach` of a file sharing one stack: clears the faults a test left, then expects no bot error and no unhandled notification. */
export function expectCleanStack(stack: Stack): void {
  stack.emulator.faults.clear();
  expect(stack.rec.errors).toEqual([]);
  expect(stack.rec.of('notificationUnhandled')).toEqual([]);
}

/** Polls `condition` every 10 ms until it holds; rejects after `timeoutMs` with `what`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** One line a {@link capturingLogger} took. */
export interface LogLine {
  level: keyof Logger;
  fields: Record<string, unknown>;
  message: string | undefined;
}

/** A bot logger that keeps every line, for tests of what the bot logs. */
export function capturingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: keyof Logger): LogFn =>
    (fields, message) =>
      void lines.push({ level, fields, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A request the emulator logged: `POST /v1.0/communications/calls/{id}/answer`, and its JSON body. */
export interface LoggedRequest {
  line: string;
  body: unknown;
}

/**
 * An emulator logger (`GraphEmulatorOptions.logger`) that keeps every line, to tell which
 * requests reached the emulator: `requests(/\/keepAlive$/)` lists the keepAlives it answered.
 */
export function requestLog(): { log: (message: string, details?: Record<string, unknown>) => void; lines: LoggedRequest[]; requests(pattern: RegExp): LoggedRequest[] } {
  const lines: LoggedRequest[] = [];
  return {
    lines,
    log: (message, details) => void lines.push({ line: message, body: details?.['body'] }),
    // Requests only: not the callbacks' lines, nor the error lines (`... -> 404 itemNotFound`).
    requests: (pattern) => lines.filter((l) => /^(GET|POST|DELETE|PATCH|PUT) \//.test(l.line) && !l.line.includes(' -> ') && pattern.test(l.line)),
  };
}

/** `promise`, or a rejection naming `what` once `timeoutMs` passed first (the timer does not outlive it). */
export async function within<T>(promise: Promise<T>, what: string, timeoutMs = 5_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
