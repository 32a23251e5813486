// One bot process of the multi-process test: an Express app with the callback middleware and a
// RedisCallStore, built from dist/ (plain node runs it, without ts-jest). It reports events and
// resolved completions to the test over IPC, and sends invites when the test asks. An optional
// fourth argument, JSON, adds bot options (keepAliveIntervalMs...). Its Graph requests carry an
// `x-bot-process` header with its name, which tells the fake Graph which process sent them.
// With GRAPH_COMMS_TEST_CRASHABLE=1 its store is a crashingStore: a `crashOn` message arms it.
import { writeFileSync } from 'node:fs';
import express from 'express';
import { Client } from '@microsoft/microsoft-graph-client';
import { CALLING_BOT_EVENTS, CallingBot } from '../../../core/dist/index.js';
import { createCallbackMiddleware } from '../../../express-adapter/dist/index.js';
import { RedisCallStore } from '../../dist/index.js';
import { crashingStore } from './crashing-store.mjs';

const [redisUrl, graphUrl, name, extra] = process.argv.slice(2);
const botOptions = extra ? JSON.parse(extra) : {};
const send = (message) => process.send?.({ from: name, at: Date.now(), ...message });

const redisStore = new RedisCallStore({ logger: false, url: redisUrl, commandTimeoutMs: 500 });
// What the crash committed goes to a file, written before the kill: IPC may not flush in time.
let crashReport;
const crash = (entries) => {
  if (crashReport) writeFileSync(crashReport, JSON.stringify(entries));
  process.kill(process.pid, 'SIGKILL');
};
const store = process.env.GRAPH_COMMS_TEST_CRASHABLE === '1' ? crashingStore(redisStore, crash) : redisStore;
const graphClient = Client.init({ baseUrl: graphUrl, authProvider: (done) => done(null, 'test-access-token'), fetchOptions: { headers: { 'x-bot-process': name } } });
const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store, graphClient, ...botOptions });

for (const event of CALLING_BOT_EVENTS.filter((name) => name !== 'error')) {
  bot.on(event, (payload) =>
    send({
      type: 'event',
      event,
      callId: payload.callId,
      eventId: payload.eventId ?? null,
      kind: payload.kind ?? null,
      reason: payload.reason ?? null,
      joined: (payload.joined ?? []).map((j) => j.invitation.clientContext),
      clientContext: payload.clientContext ?? null,
      added: (payload.added ?? []).map((p) => p.id),
      invitation: payload.invitation ? payload.invitation.clientContext : null,
    }),
  );
}
bot.on('error', (error, context) => send({ type: 'error', source: context.source, message: error.message }));

const app = express();
app.post('/api/calls', createCallbackMiddleware(bot));
const server = app.listen(0, '127.0.0.1', () => send({ type: 'ready', port: server.address().port }));

// Starts an operation (an invite, a prompt): reports `started` with its id, later its completion, or `failed`.
const start = async (request, run, started, failed) => {
  try {
    const operation = await run();
    operation.completion.then((outcome) => send({ type: 'completed', clientContext: operation.clientContext, status: outcome.status }));
    send({ type: started, clientContext: operation.clientContext, operationId: operation.id });
  } catch (error) {
    send({ type: failed, clientContext: request.clientContext, message: error.message });
  }
};

process.on('message', async (message) => {
  if (message.type === 'invite') {
    await start(message.request, () => bot.invite(message.callId, message.request), 'invited', 'inviteFailed');
  } else if (message.type === 'playPrompt') {
    await start(message.request, () => bot.call(message.callId).playPrompt(message.request), 'started', 'startFailed');
  } else if (message.type === 'crashOn') {
    try {
      if (!store.arm) throw new Error('this process was not started crashable');
      store.arm({ callId: message.callId, effect: message.effect });
      crashReport = message.report;
    } catch (error) {
      send({ type: 'error', source: 'test', message: error.message });
    }
  } else if (message.type === 'ping') {
    send({ type: 'pong', message: message.id }); // IPC keeps order: every earlier message is out
  } else if (message.type === 'close') {
    server.closeAllConnections();
    server.close();
    await bot.close();
    process.disconnect();
  }
});
