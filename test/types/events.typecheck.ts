/**
 * Compile-only checks of the public types: `npm run typecheck` fails if a line marked
 * `@ts-expect-error` compiles, or if a correct line does not. Nothing here runs.
 */
import { CallingBot, CALLING_BOT_EVENTS, type CallingBotEvents, type CallingBotEventPayloads, type Invitation, type OperationOutcome } from '@graph-comms/core';

declare const bot: CallingBot;

bot.on('rosterUpdated', (e) => e.added);
bot.on('rosterUpdated', (e) => e.joined.map((j) => j.invitation.clientContext));
bot.on('operationCompleted', (e) => e.invitation?.completion);
bot.on('operationFailed', (e) => (e.reason === 'timedOut' ? e.resultInfo : e.operationId));
bot.on('p2pReplaced', (e) => `${e.groupCallId} ${e.replacedCallId}`);
bot.on('callTerminated', (e) => e.resultInfo?.code);
bot.on('error', (error, context) => `${error.message} ${context.source}`);
bot.once('callUpdated', (e) => e.state);
bot.off('callUpdated');

// @ts-expect-error: no such event
bot.on('rosterChanged', () => undefined);
// @ts-expect-error: no such field on the payload
bot.on('rosterUpdated', (e) => e.addedParticipants);
// @ts-expect-error: the payload of callUpdated is not the payload of rosterUpdated
bot.on('callUpdated', (e: CallingBotEventPayloads['rosterUpdated']) => e.added);
// @ts-expect-error: reason is 'failed' | 'timedOut'
const reason: CallingBotEventPayloads['operationFailed']['reason'] = 'cancelled';
void reason;

// The const list of names and the event map agree, both ways.
type Listed = (typeof CALLING_BOT_EVENTS)[number];
const everyListedNameIsAnEvent: Listed extends keyof CallingBotEvents ? true : false = true;
const everyEventIsListed: keyof CallingBotEvents extends Listed ? true : false = true;
void everyListedNameIsAnEvent;
void everyEventIsListed;

// Invitation.completion never rejects and resolves an outcome.
declare const invitation: Invitation;
const outcome: Promise<OperationOutcome> = invitation.completion;
void outcome;
// @ts-expect-error: timedOut is an outcome status, not a Graph status like running
const status: OperationOutcome['status'] = 'running';
void status;
