/**
 * Runs the sample bot. With GRAPH_APP_ID, GRAPH_TENANT_ID, GRAPH_CLIENT_SECRET and
 * PUBLIC_CALLBACK_URL set it talks to Microsoft Graph (install `@azure/identity`); otherwise it
 * starts a local Graph emulator and talks to that.
 *
 *   node samples/invite-bot/dist/main.js           # against the emulator, port 3978
 *   POST http://127.0.0.1:3978/invite {"callId": "...", "participants": [...]}
 */
import { Client } from '@microsoft/microsoft-graph-client';
import { createGraphTokenVerifier, InviteValidationError, GraphRequestError, type InviteRequest } from '@graph-comms/core';
import { GraphEmulator } from '@graph-comms/emulator';
import express from 'express';
import { createInviteBot } from './create-bot.js';

interface TokenCredential {
  getToken(scope: string): Promise<{ token: string }>;
}
type IdentityModule = { ClientSecretCredential: new (tenantId: string, clientId: string, secret: string) => TokenCredential };

// `@azure/identity` is an optional peer: only real-tenant bots need it, so it is loaded by name.
async function loadIdentity(): Promise<IdentityModule> {
  const name = '@azure/identity';
  try {
    return (await import(name)) as IdentityModule;
  } catch {
    throw new Error('talking to Microsoft Graph needs @azure/identity: npm install @azure/identity@4.13');
  }
}

const port = Number(process.env['PORT'] ?? 3978);
const { GRAPH_APP_ID, GRAPH_TENANT_ID, GRAPH_CLIENT_SECRET, PUBLIC_CALLBACK_URL } = process.env;

async function connect(): Promise<{ appId: string; graphClient: Client; verifierOptions: { openIdConfigurationUrl?: string }; callbackUrl: string; emulator?: GraphEmulator }> {
  if (GRAPH_APP_ID && GRAPH_TENANT_ID && GRAPH_CLIENT_SECRET && PUBLIC_CALLBACK_URL) {
    // An optional peer: only real-tenant bots need it.
    const { ClientSecretCredential } = await loadIdentity();
    const credential = new ClientSecretCredential(GRAPH_TENANT_ID, GRAPH_APP_ID, GRAPH_CLIENT_SECRET);
    const graphClient = Client.init({
      authProvider: (done) => {
        credential.getToken('https://graph.microsoft.com/.default').then((t) => done(null, t.token), (e: unknown) => done(e as Error, null));
      },
    });
    return { appId: GRAPH_APP_ID, graphClient, verifierOptions: {}, callbackUrl: PUBLIC_CALLBACK_URL };
  }
  const emulator = await GraphEmulator.start();
  const graphClient = Client.init({ baseUrl: emulator.url, authProvider: (done) => done(null, 'emulator') });
  return { appId: emulator.appId, graphClient, verifierOptions: { openIdConfigurationUrl: emulator.openIdConfigurationUrl }, callbackUrl: `http://127.0.0.1:${port}/api/calls`, emulator };
}

const { appId, graphClient, verifierOptions, callbackUrl, emulator } = await connect();
const { bot, app } = createInviteBot({ appId, graphClient, tokenVerifier: createGraphTokenVerifier({ appId, ...verifierOptions }) });

// A small control endpoint, so that you can try invites with curl.
app.post('/invite', express.json(), async (req, res) => {
  const { callId, ...request } = req.body as { callId: string } & InviteRequest;
  try {
    const invitation = await bot.invite(callId, request);
    res.status(202).json({ id: invitation.id, clientContext: invitation.clientContext, status: invitation.status });
  } catch (error) {
    if (error instanceof InviteValidationError) res.status(400).json({ error: { code: error.code, rule: error.rule, message: error.message } });
    else if (error instanceof GraphRequestError) res.status(502).json({ error: { code: error.code, status: error.status, graphCode: error.graphCode, message: error.message } });
    else throw error;
  }
});
if (emulator) {
  // Against the emulator there are no real calls yet: make one to invite into.
  app.post('/calls', (_req, res) => void res.status(201).json(emulator.createCall({ callbackUri: callbackUrl, kind: 'group' })));
}

const server = app.listen(port, '127.0.0.1', () => {
  console.log(`sample bot on http://127.0.0.1:${port} — callbacks at ${callbackUrl}`);
  if (emulator) console.log(`Graph emulator at ${emulator.url} (POST /calls here makes a group call to invite into)`);
});
const stop = async (): Promise<void> => {
  server.close();
  await bot.close();
  await emulator?.close();
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
