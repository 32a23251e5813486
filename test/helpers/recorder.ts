import { CALLING_BOT_EVENTS, type CallingBot, type CallingBotEventName, type CallingBotEventPayloads } from '@graph-comms/core';

type Recorded = { [K in keyof CallingBotEventPayloads]: { name: K; payload: CallingBotEventPayloads[K] } }[keyof CallingBotEventPayloads];

/** Records every event a bot emits, in order. */
export function recordEvents(bot: CallingBot) {
  const events: Recorded[] = [];
  const errors: Array<{ error: Error; source: string }> = [];
  for (const name of CALLING_BOT_EVENTS.filter((n) => n !== 'error')) bot.on(name, ((payload: unknown) => void events.push({ name, payload } as Recorded)) as never);
  bot.on('error', (error, context) => void errors.push({ error, source: context.source }));
  return {
    events,
    errors,
    /** The payloads of one event, in order. */
    of<K extends keyof CallingBotEventPayloads>(name: K): CallingBotEventPayloads[K][] {
      return events.filter((e) => e.name === name).map((e) => e.payload as CallingBotEventPayloads[K]);
    },
    names(): CallingBotEventName[] {
      return events.map((e) => e.name);
    },
  };
}
