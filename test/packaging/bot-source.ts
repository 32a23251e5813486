/**
 * The fresh project's bot, as a user would write it from the READMEs: an Express app with the
 * callback middleware, a CallingBot that verifies the emulator's tokens, and one invite. The same
 * text is compiled as `bot.mts` (ESM) and `bot.cts` (CommonJS: TypeScript emits `require()`).
 * It prints one JSON line and exits 0 once the invite's `operationCompleted` arrived; exit 2 after
 * 20 s without it, so a hang cannot outlive the test.
 */
export const BOT_SOURCE = `
import { CallingBot, createGraphTokenVerifier, type OperationOutcome } from '@graph-comms/core';
import { createCallbackMiddleware } from '@graph-comms/express-adapter';
import { GraphEmulator } from '@graph-comms/emulator';
import { RedisCallStore, type RedisCallStoreOptions } from '@graph-comms/redis-store';
import { Client } from '@microsoft/microsoft-graph-client';
import express from 'express';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

// Type-checked and loaded, not connected: this test has no Redis.
const redisOptions: RedisCallStoreOptions = { url: 'redis://127.0.0.1:6379', keyPrefix: 'fresh-bot:' };

async function main(): Promise<void> {
  const emulator = await GraphEmulator.start();
  const app = express();
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const callbackUri = \`http://127.0.0.1:\${(server.address() as AddressInfo).port}/api/calls\`;

  const graphClient = Client.init({ baseUrl: emulator.url, authProvider: (done) => done(null, 'emulator') });
  const tokenVerifier = createGraphTokenVerifier({ appId: emulator.appId, openIdConfigurationUrl: emulator.openIdConfigurationUrl });
  const bot = new CallingBot({ appId: emulator.appId, graphClient, tokenVerifier, logger: false });
  app.post('/api/calls', createCallbackMiddleware(bot));

  const completed = new Promise<string | null>((resolve) => bot.on('operationCompleted', ({ operationId }) => resolve(operationId)));
  const call = emulator.createCall({ callbackUri, kind: 'group' });
  const invitation = await bot.invite(call.id, { participants: [{ identity: { user: { id: 'fresh-user' } } }] });
  const operationId: string | null = await completed;
  const outcome: OperationOutcome = await invitation.completion;

  await bot.close();
  server.close();
  await emulator.close();
  const module = typeof require === 'function' ? 'cjs' : 'esm';
  console.log(JSON.stringify({ event: 'operationCompleted', operationId, status: outcome.status, module, store: typeof RedisCallStore, redisPrefix: redisOptions.keyPrefix }));
}

const deadline = setTimeout(() => {
  console.error('fresh-bot: no operationCompleted within 20 s');
  process.exit(2);
}, 20_000);
deadline.unref();
main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
`;

/** The fresh project's tsconfig for one compiler: strict, NodeNext, libraries' declarations checked too. */
export const tsconfigFor = (outDir: string): string =>
  JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        esModuleInterop: true,
        skipLibCheck: false,
        noEmitOnError: true,
        types: ['node'],
        rootDir: 'src',
        outDir,
      },
      files: ['src/bot.mts', 'src/bot.cts'],
    },
    null,
    2,
  );
