import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { Client } from '@microsoft/microsoft-graph-client';
import { CallingBot, createGraphTokenVerifier, type CallingBotOptions, type CallStore } from '@graph-comms/core';
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
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const emulator = await GraphEmulator.start({ callbackDelayMs: 1, autoAnswerMs: 2, ...options.emulator });
  const graphClient = Client.init({ baseUrl: emulator.url, authProvider: (done) => done(null, 'emulator-token') });
  const tokenVerifier = createGraphTokenVerifier({
    appId: emulator.appId,
    openIdConfigurationUrl: emulator.openIdConfigurationUrl,
    ...(options.keyRefreshCooldownMs === undefined ? {} : { keyRefreshCooldownMs: options.keyRefreshCooldownMs }),
  });
  const bot = new CallingBot({ ...options.bot, appId: emulator.appId, graphClient, tokenVerifier, ...(options.store ? { store: options.store } : {}) });
  const rec = recordEvents(bot);
  const app = express();
  app.post('/api/calls', createCallbackMiddleware(bot));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const callbackUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`;
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
