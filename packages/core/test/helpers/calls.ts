import type { CommsNotifications, Logger } from '@graph-comms/core';
import type { FakeGraph, Received } from '../../../../test/helpers/fake-graph.js';

/** The public callback URL the bots of these tests give Graph. */
export const CALLBACK_URI = 'https://bot.contoso.com/api/calls';

/** One notification about a call's own resource (`/communications/calls/{id}`). */
export const callNotification = (callId: string, changeType: string, state?: string, extra: Record<string, unknown> = {}): CommsNotifications => ({
  value: [{ changeType, resourceUrl: `/communications/calls/${callId}`, resourceData: { '@odata.type': '#microsoft.graph.call', id: callId, ...(state ? { state } : {}), ...extra } }],
});

/** An incoming call as Graph offers it (`created`, `state: incoming`), with the caller and the bot as target. */
export const incomingCall = (callId: string, state = 'incoming'): CommsNotifications =>
  callNotification(callId, 'created', state, {
    direction: 'incoming',
    source: { '@odata.type': '#microsoft.graph.participantInfo', identity: { user: { id: '8d4e4b4c-2a7c-4c5d-9d6e-3c1b2a0f9e8d', displayName: 'Caller' } } },
    targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { application: { id: 'bot-app-id', displayName: 'Bot' } } }],
    requestedModalities: ['audio'],
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    callChainId: 'd8a1b2c3-0000-4000-8000-000000000001',
  });

export const established = (callId: string, extra: Record<string, unknown> = {}): CommsNotifications => callNotification(callId, 'updated', 'established', extra);
export const terminated = (callId: string, resultInfo: Record<string, unknown> = { code: 200, subcode: 5001, message: 'The conversation has ended.' }): CommsNotifications =>
  callNotification(callId, 'deleted', 'terminated', { resultInfo });

/** A DTMF tone in a call update, shaped as on Microsoft's subscribeToTone page. */
export const toneNotification = (callId: string, sequenceId: number | string, tone: string): CommsNotifications => ({
  value: [
    {
      changeType: 'updated',
      resourceUrl: `/communications/calls/${callId}`,
      resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established', toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId, tone } },
    },
  ],
});

/** A callback as an HTTP runtime hands it to `bot.handleRequest`. */
export const callbackRequest = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** A logger that keeps every line. */
export function capturingLogger() {
  const lines: Array<{ level: keyof Logger; fields: Record<string, unknown>; message: string | undefined }> = [];
  const at =
    (level: keyof Logger) =>
    (fields: Record<string, unknown>, message?: string): void =>
      void lines.push({ level, fields, message });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines, warnings: () => lines.filter((l) => l.level === 'warn') };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, checking every few ms; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000, what = 'the condition'): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await sleep(5);
  }
}

/** The keepAlive requests the fake Graph received, for one call or all. */
export const keepAlivesOf = (graph: FakeGraph, callId?: string): Received[] =>
  graph.received.filter((r) => r.method === 'POST' && r.path.endsWith('/keepAlive') && (callId === undefined || r.path === `/v1.0/communications/calls/${callId}/keepAlive`));
