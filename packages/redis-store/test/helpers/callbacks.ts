import type { BotProcess, FromBot } from './bot-processes.js';
import type { CrashPlan } from './crash-plan.js';

/** Messages of the bot processes, in short, for a failure's message. */
export const shown = (messages: FromBot[]): string =>
  JSON.stringify(messages.map(({ from, at, type, event, eventId, clientContext, reason }) => ({ from, at, type, event, eventId, clientContext, reason })));

/** Graph's side: one POST of a callback body to one process; resolves with its status, rejects when the connection fails. */
export async function post(bot: BotProcess, body: unknown): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${bot.port}/api/calls`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
  await res.arrayBuffer();
  return res.status;
}

/**
 * The first message of any of `bots` that `match` accepts, within `timeoutMs`; else fails with
 * what they said of the plan's call, so that a missing event shows what came instead.
 */
export async function reported(bots: BotProcess[], plan: CrashPlan, what: string, match: (m: FromBot) => boolean, timeoutMs: number): Promise<FromBot> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = bots.flatMap((b) => b.messages).find(match);
    if (found) return found;
    if (Date.now() > until) {
      const related = bots.flatMap((b) => b.messages).filter((m) => m.callId === plan.callId || m.clientContext === plan.invite.clientContext || m.type === 'error');
      throw new Error(`${what}: not reported by ${bots.map((b) => b.name).join(' or ')} within ${timeoutMs} ms; of this call they reported ${shown(related)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
