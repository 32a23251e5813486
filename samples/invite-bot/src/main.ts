/**
 * Runs the sample bot. With GRAPH_APP_ID, GRAPH_TENANT_ID, GRAPH_CLIENT_SECRET and
 * PUBLIC_CALLBACK_URL set it talks to Microsoft Graph (install `@azure/identity`); with
 * GRAPH_EMULATOR_URL it talks to an emulator you started yourself (`npm run emulator`), reading
 * its app id and OpenID configuration from `GET /_emulator/info`; otherwise it starts a local
 * Graph emulator in-process and talks to that.
 *
 *   npm run bot                                              # in-process emulator, port 3978
 *   npm run emulator -- --port 4000 --verbose                # one terminal
 *   GRAPH_EMULATOR_URL=http://127.0.0.1:4000/ npm run bot    # another: the bot on that emulator
 *   POST http://127.0.0.1:3978/calls                         # a group call to invite into
 *   POST http://127.0.0.1:3978/invite {"callId": "...", "participants": [...]}
 */
import { Client } from '@microsoft/microsoft-graph-client';
import { createGraphTokenVerifier, InviteValidationError, GraphRequestError, type InviteRequest } from '@graph-comms/core';
import { GraphEmulator } from '@graph-comms/emulator';
import express from 'express';
import { createInviteBot } from './create-bot.js';
import { startCallFlow } from './call-flow.js';

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
const { GRAPH_APP_ID, GRAPH_TENANT_ID, GRAPH_CLIENT_SECRET, PUBLIC_CALLBACK_URL, GRAPH_EMULATOR_URL } = process.env;

/** What `GET /_emulator/info` of a running emulator answers. */
interface EmulatorInfo {
  appId: string;
  tenantId: string;
  baseUrl: string;
  openIdConfigurationUrl: string;
}

/** Makes a call to invite into: in-process through the emulator's JS API, or through a running emulator's control API. */
type MakeCall = (callbackUri: string) => Promise<unknown>;

/** Reads a running emulator's app id and URLs from its control API. */
async function emulatorInfo(url: string): Promise<EmulatorInfo> {
  const response = await fetch(new URL('_emulator/info', url));
  if (!response.ok) throw new Error(`GRAPH_EMULATOR_URL: GET ${url}_emulator/info answered ${response.status}`);
  return (await response.json()) as EmulatorInfo;
}

async function connect(): Promise<{
  appId: string;
  graphClient: Client;
  verifierOptions: { openIdConfigurationUrl?: string };
  callbackUrl: string;
  emulator?: GraphEmulator;
  emulatorUrl?: string;
  makeCall?: MakeCall;
}> {
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
  const callbackUrl = `http://127.0.0.1:${port}/api/calls`;
  if (GRAPH_EMULATOR_URL) {
    const info = await emulatorInfo(GRAPH_EMULATOR_URL.endsWith('/') ? GRAPH_EMULATOR_URL : `${GRAPH_EMULATOR_URL}/`);
    const graphClient = Client.init({ baseUrl: info.baseUrl, authProvider: (done) => done(null, 'emulator') });
    const makeCall: MakeCall = async (callbackUri) => {
      const response = await fetch(new URL('_emulator/calls', info.baseUrl), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ callbackUri, kind: 'group' }),
      });
      return response.json();
    };
    return { appId: info.appId, graphClient, verifierOptions: { openIdConfigurationUrl: info.openIdConfigurationUrl }, callbackUrl, emulatorUrl: info.baseUrl, makeCall };
  }
  const emulator = await GraphEmulator.start();
  const graphClient = Client.init({ baseUrl: emulator.url, authProvider: (done) => done(null, 'emulator') });
  const makeCall: MakeCall = (callbackUri) => Promise.resolve(emulator.createCall({ callbackUri, kind: 'group' }));
  return { appId: emulator.appId, graphClient, verifierOptions: { openIdConfigurationUrl: emulator.openIdConfigurationUrl }, callbackUrl, emulator, emulatorUrl: emulator.url, makeCall };
}

const { appId, graphClient, verifierOptions, callbackUrl, emulator, emulatorUrl, makeCall } = await connect();
const { bot, app } = createInviteBot({ appId, graphClient, tokenVerifier: createGraphTokenVerifier({ appId, ...verifierOptions }) });
// Calls placed to the bot (from the emulator's page, say) are answered and get the phone menu:
// 1 records a message, 2 invites an agent, 0 transfers to the operator, # hangs up.
startCallFlow(bot, {
  callbackUri: callbackUrl,
  menuPromptUri: 'https://example.com/prompts/menu.wav',
  agent: { identity: { user: { id: '5f4c3e2d-0000-4000-8000-00000000a9e1', displayName: 'Agent' } } },
  operator: { identity: { user: { id: '0c1d2e3f-0000-4000-8000-0000000000c0', displayName: 'Operator' } } },
});

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
if (makeCall) {
  // Against the emulator there are no real calls yet: make one to invite into.
  app.post('/calls', (_req, res, next) => {
    makeCall(callbackUrl).then((call) => void res.status(201).json(call), next);
  });
}

const server = app.listen(port, '127.0.0.1', () => {
  console.log(`sample bot on http://127.0.0.1:${port} — callbacks at ${callbackUrl}`);
  if (emulatorUrl) console.log(`Graph emulator at ${emulatorUrl} (POST /calls here makes a group call to invite into; its inspector is at ${emulatorUrl})`);
});
const stop = async (): Promise<void> => {
  server.close();
  await bot.close();
  await emulator?.close();
};
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
