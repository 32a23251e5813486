// Figures 2, 3 and 6: createCallbackMiddleware on a CallingBot that verifies every callback's
// RS256 token against a fixed key set; memory store by default, Redis with `store: 'redis'`.
import { createServer } from 'node:http';
import express from 'express';
import { CALLING_BOT_EVENTS, CallingBot, createGraphTokenVerifier } from '@graph-comms/core';
import { createCallbackMiddleware } from '@graph-comms/express-adapter';
import { config, fail, serve } from './serve.mjs';

try {
  const { appId, jwks, cache, store: storeKind, redisUrl } = config();
  let store;
  if (storeKind === 'redis') {
    const { RedisCallStore } = await import('@graph-comms/redis-store');
    store = new RedisCallStore({ url: redisUrl });
  }
  const tokenVerifier = createGraphTokenVerifier(cache ? { appId, jwks } : { appId, jwks, cacheMaxEntries: 0 });
  const bot = new CallingBot({ appId, tokenVerifier, ...(store ? { store } : {}) });
  // Every event counted, so that the parent can check each delivery did what the workload meant.
  const events = {};
  const counts = { events, errors: 0, lastError: undefined };
  for (const name of CALLING_BOT_EVENTS.filter((e) => e !== 'error')) bot.on(name, () => (events[name] = (events[name] ?? 0) + 1));
  bot.on('error', (error) => {
    counts.errors += 1;
    counts.lastError = String(error?.message ?? error);
  });

  const app = express();
  app.post('/api/calls', createCallbackMiddleware(bot));
  await serve(createServer(app), { stats: () => ({ ...counts, events: { ...events }, calls: bot.store.size }), close: () => bot.close() });
} catch (error) {
  fail(error);
}
