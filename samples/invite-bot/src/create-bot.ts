import { CallingBot, type Call, type CallingBotOptions, type IdentitySet, type Logger } from '@graph-comms/core';
import { createCallbackMiddleware } from '@graph-comms/express-adapter';
import express, { type Express } from 'express';

/** What the sample bot says about each thing that happens. */
export type Say = (line: string) => void;

/**
 * The sample bot: an Express app whose `/api/calls` route receives Graph's callbacks, and a
 * CallingBot that follows each call. Copy this file to start your own bot.
 */
export function createInviteBot(options: CallingBotOptions & { say?: Say; logger?: Logger }): { bot: CallingBot; app: Express } {
  const say = options.say ?? ((line: string) => console.log(line));
  const bot = new CallingBot(options);

  // A custom handler: runs for every notification before the state machine.
  bot.use(async (ctx, next) => {
    const started = Date.now();
    await next();
    if (Date.now() - started > 500) say(`  slow notification for call ${ctx.callId ?? '?'}: ${Date.now() - started} ms`);
  });

  bot.on('operationCompleted', ({ callId, kind, operationId, invitation }) => {
    say(`  ✔ operationCompleted  call ${short(callId)} operation ${short(operationId)} (${invitation ? `invite ${short(invitation.clientContext)}` : kind})`);
  });
  bot.on('operationFailed', ({ callId, reason, resultInfo }) => {
    const why = resultInfo ? ` ${resultInfo.code}/${resultInfo.subcode} ${resultInfo.message ?? ''}`.trimEnd() : '';
    say(`  ✖ operationFailed     call ${short(callId)} ${reason}${why}`);
  });
  bot.on('rosterUpdated', ({ callId, participants, added, removed, joined }) => {
    const names = participants.map((p) => describe(p.info?.identity)).join(', ') || 'nobody';
    say(`  ◆ rosterUpdated       call ${short(callId)}: +${added.length} -${removed.length}, now ${names}`);
    for (const { participant, invitation } of joined) say(`      ${describe(participant.info?.identity)} answered invite ${short(invitation.clientContext)}`);
  });
  bot.on('p2pReplaced', ({ groupCallId, replacedCallId }) => say(`  ⇄ p2pReplaced         call ${short(replacedCallId)} replaced by group call ${short(groupCallId)}`));
  bot.on('participantMoved', ({ participantId, sourceCallId, callId }) => say(`  ➜ participantMoved    ${short(participantId)} from ${short(sourceCallId)} to ${short(callId)}`));
  bot.on('incomingCall', ({ callId, call }) => say(`  ☎ incomingCall        call ${short(callId)} from ${describe(callerOf(call))}`));
  bot.on('callEstablished', ({ callId }) => say(`  ● callEstablished     call ${short(callId)}`));
  bot.on('toneReceived', ({ callId, tone, sequenceId }) => say(`  ♪ toneReceived        call ${short(callId)}: ${key(tone)} (${tone}, sequence ${sequenceId})`));
  bot.on('callTerminated', ({ callId, resultInfo, reason }) => {
    const code = resultInfo ? ` ${resultInfo.code}/${resultInfo.subcode}` : '';
    say(`  ■ callTerminated      call ${short(callId)}${code} ${reason ?? resultInfo?.message ?? ''}`.trimEnd());
  });
  bot.on('error', (error, context) => say(`  ! error from ${context.source}: ${error.message}`));

  const app = express();
  app.post('/api/calls', createCallbackMiddleware(bot));
  app.get('/healthz', (_req, res) => void res.json({ ok: true }));
  return { bot, app };
}

/** A readable name for an identity set: `user 2784…`, `phone +12345678901`. */
export function describe(identity: Record<string, unknown> | null | undefined): string {
  for (const [kind, value] of Object.entries(identity ?? {})) {
    if (kind.startsWith('@') || typeof value !== 'object' || value === null) continue;
    const { id, displayName } = value as { id?: unknown; displayName?: unknown };
    if (typeof displayName === 'string' && displayName) return `${displayName} (${kind})`;
    if (typeof id === 'string') return `${kind} ${kind === 'phone' ? id : short(id)}`;
  }
  return 'someone';
}

/** The caller of an incoming call: its `source` participantInfo's identity set. */
export function callerOf(call: Call): IdentitySet | undefined {
  const source = call['source'];
  if (typeof source !== 'object' || source === null) return undefined;
  const identity = (source as { identity?: unknown }).identity;
  return typeof identity === 'object' && identity !== null ? (identity as IdentitySet) : undefined;
}

/** The key a DTMF tone names, as the caller sees it: `tone1` is 1, `pound` is #. */
export const key = (tone: string): string => (tone.startsWith('tone') ? tone.slice(4) : tone === 'pound' ? '#' : tone === 'star' ? '*' : tone);

/** The first eight characters of an id, enough to tell ids apart in a log. */
export const short = (id: string | null | undefined): string => (id ? (id.length > 9 ? `${id.slice(0, 8)}…` : id) : 'null');
