import { expect } from '@jest/globals';
import { sameId, type CallHandle, type CallingBotEventPayloads, type MediaPrompt, type Operation, type OperationKind } from '@graph-comms/core';
import type { CallSnapshot, InviteScript, JsonObject, OperationAction, OperationScript } from '@graph-comms/emulator';
import type { Stack } from './stack.js';

export const prompt = (name: string): MediaPrompt => ({ mediaInfo: { uri: `https://cdn.contoso.com/${name}.wav`, resourceId: `res-${name}` } });

/** A fresh group call that the bot heard established, with two users and the bot on its roster. */
export interface Fixture {
  stack: Stack;
  call: CallSnapshot;
  handle: CallHandle;
  /** The participant id of user u-1. */
  participantId: string;
  /** The bot's own participant id (`myParticipantId`). */
  botParticipantId: string;
  /** Events after the fixture was ready, for this call only. */
  events: CallEvents;
}

export interface CallEvents {
  of<K extends keyof CallingBotEventPayloads>(name: K): CallingBotEventPayloads[K][];
  /** Every event since the fixture was ready, for this call. */
  all(): Array<{ name: string; payload: unknown }>;
}

const callIdOf = (payload: unknown): string | undefined => {
  const p = payload as { callId?: unknown; groupCallId?: unknown };
  return typeof p.callId === 'string' ? p.callId : typeof p.groupCallId === 'string' ? p.groupCallId : undefined;
};

export async function freshCall(stack: Stack): Promise<Fixture> {
  const { emulator, bot, rec, callbackUri } = stack;
  const created = emulator.createCall({ callbackUri, kind: 'group', announce: true, participants: [{ user: { id: 'u-1' } }, { user: { id: 'u-2' } }] });
  await emulator.idle();
  const call = emulator.getCall(created.id)!;
  expect(call.state).toBe('established');
  const botParticipantId = String(call.resource['myParticipantId']);
  const participantId = String(call.participants.find((p) => (p['info'] as JsonObject | undefined)?.['identity'] && JSON.stringify(p['info']).includes('"u-1"'))!['id']);
  const mark = rec.events.length;
  const mine = () => rec.events.slice(mark).filter((e) => sameId(callIdOf(e.payload), call.id));
  const events: CallEvents = {
    of: <K extends keyof CallingBotEventPayloads>(name: K) => mine().filter((e) => e.name === name).map((e) => e.payload as CallingBotEventPayloads[K]),
    all: () => mine().map((e) => ({ name: e.name, payload: e.payload })),
  };
  return { stack, call, handle: bot.call(call.id), participantId, botParticipantId, events };
}

/** The participant `id` as the emulator holds it now, or undefined when it left. */
export function participantNow(f: Fixture, id: string): JsonObject | undefined {
  return f.stack.emulator.getCall(f.call.id)!.participants.find((p) => p['id'] === id);
}

/** One operation kind: how to start it, how the emulator answers it, what it does. */
export interface OperationCase {
  kind: OperationKind;
  /** The emulator's name for its fault scripts; `invite` goes through `faults.nextInvite`. */
  fault: OperationAction | 'invite';
  /** Graph answers it already completed: no operation callback. */
  inResponse: boolean;
  start(f: Fixture, clientContext?: string): Promise<Operation>;
  /** Its effect is seen (in the emulator and the bot's events) once it completed. */
  effect(f: Fixture, op: Operation): void;
  /** Its effect did not happen (after a failure). */
  noEffect(f: Fixture): void;
}

const ctx = (clientContext: string | undefined) => (clientContext === undefined ? {} : { clientContext });

/** The emulator's operation for `op`, by clientContext. */
export function emulatorOperation(f: Fixture, op: Operation) {
  return f.stack.emulator.getCall(f.call.id)!.operations.find((o) => o.clientContext === op.clientContext);
}

const completedThere = (f: Fixture, op: Operation, action: string) =>
  expect(emulatorOperation(f, op)).toMatchObject({ id: op.id, action, status: 'completed' });

const muted = (who: 'bot' | 'participant', value: boolean) => (f: Fixture) => {
  const id = who === 'bot' ? f.botParticipantId : f.participantId;
  expect(participantNow(f, id)!['isMuted']).toBe(value);
  const rosters = f.events.of('rosterUpdated');
  expect(rosters).toHaveLength(1);
  expect(rosters[0]!.updated.map((p) => [p.id, p.isMuted])).toEqual([[id, value]]);
};
const noRoster = (f: Fixture) => expect(f.events.of('rosterUpdated')).toHaveLength(0);

export const OPERATION_CASES: OperationCase[] = [
  {
    kind: 'invite',
    fault: 'invite',
    inResponse: false,
    start: (f, c) => f.handle.invite({ participants: [{ identity: { user: { id: 'u-new' } } }], ...ctx(c) }),
    effect: (f, op) => {
      completedThere(f, op, 'invite');
      const joined = f.events.of('rosterUpdated').flatMap((r) => r.joined);
      expect(joined).toHaveLength(1);
      expect(joined[0]!.invitation).toBe(op);
      expect(JSON.stringify(f.stack.emulator.getCall(f.call.id)!.participants)).toContain('u-new');
    },
    noEffect: (f) => {
      noRoster(f);
      expect(JSON.stringify(f.stack.emulator.getCall(f.call.id)!.participants)).not.toContain('u-new');
    },
  },
  {
    kind: 'playPrompt',
    fault: 'playPrompt',
    inResponse: false,
    start: (f, c) => f.handle.playPrompt({ prompts: [prompt('welcome'), prompt('menu')], ...ctx(c) }),
    effect: (f, op) => completedThere(f, op, 'playPrompt'),
    noEffect: noRoster,
  },
  {
    kind: 'recordResponse',
    fault: 'recordResponse',
    inResponse: false,
    start: (f, c) => f.handle.recordResponse({ prompts: [prompt('after-the-beep')], playBeep: true, maxRecordDurationInSeconds: 10, stopTones: ['#'], ...ctx(c) }),
    effect: (f, op) => {
      completedThere(f, op, 'recordResponse');
      expect(f.stack.emulator.recordings.filter((r) => r.operationId === op.id)).toHaveLength(1);
    },
    noEffect: (f) => expect(f.stack.emulator.recordings.filter((r) => r.callId === f.call.id)).toHaveLength(0),
  },
  {
    kind: 'subscribeToTone',
    fault: 'subscribeToTone',
    inResponse: true,
    start: (f, c) => f.handle.subscribeToTone(ctx(c)),
    effect: (f, op) => completedThere(f, op, 'subscribeToTone'),
    noEffect: noRoster,
  },
  {
    kind: 'sendDtmfTones',
    fault: 'sendDtmfTones',
    inResponse: false,
    start: (f, c) => f.handle.sendDtmfTones({ tones: ['tone1', 'tone2', 'pound'], delayBetweenTonesMs: 100, ...ctx(c) }),
    effect: (f, op) => {
      completedThere(f, op, 'sendDtmfTones');
      expect(emulatorOperation(f, op)!.fields).toMatchObject({ completionReason: 'completedSuccessfully' });
    },
    noEffect: noRoster,
  },
  {
    kind: 'cancelMediaProcessing',
    fault: 'cancelMediaProcessing',
    inResponse: true,
    start: (f, c) => f.handle.cancelMediaProcessing(ctx(c)),
    effect: (f, op) => completedThere(f, op, 'cancelMediaProcessing'),
    noEffect: noRoster,
  },
  {
    kind: 'mute',
    fault: 'mute',
    inResponse: true,
    start: (f, c) => f.handle.mute(ctx(c)),
    effect: (f, op) => {
      completedThere(f, op, 'mute');
      muted('bot', true)(f);
    },
    noEffect: (f) => {
      noRoster(f);
      expect(participantNow(f, f.botParticipantId)!['isMuted']).toBe(false);
    },
  },
  {
    kind: 'unmute',
    fault: 'unmute',
    inResponse: true,
    start: (f, c) => f.handle.unmute(ctx(c)),
    effect: (f, op) => {
      completedThere(f, op, 'unmute');
      muted('bot', false)(f);
    },
    noEffect: noRoster,
  },
  {
    kind: 'updateRecordingStatus',
    fault: 'updateRecordingStatus',
    inResponse: true,
    start: (f, c) => f.handle.updateRecordingStatus({ status: 'recording', ...ctx(c) }),
    effect: (f, op) => completedThere(f, op, 'updateRecordingStatus'),
    noEffect: noRoster,
  },
  {
    kind: 'muteParticipant',
    fault: 'muteParticipant',
    inResponse: true,
    start: (f, c) => f.handle.participant(f.participantId).mute(ctx(c)),
    effect: (f, op) => {
      completedThere(f, op, 'muteParticipant');
      muted('participant', true)(f);
    },
    noEffect: (f) => {
      noRoster(f);
      expect(participantNow(f, f.participantId)!['isMuted']).toBe(false);
    },
  },
  {
    kind: 'startHoldMusic',
    fault: 'startHoldMusic',
    inResponse: false,
    start: (f, c) => f.handle.participant(f.participantId).startHoldMusic({ customPrompt: prompt('hold'), ...ctx(c) }),
    effect: (f, op) => completedThere(f, op, 'startHoldMusic'),
    noEffect: noRoster,
  },
  {
    kind: 'stopHoldMusic',
    fault: 'stopHoldMusic',
    inResponse: false,
    start: (f, c) => f.handle.participant(f.participantId).stopHoldMusic(ctx(c)),
    effect: (f, op) => completedThere(f, op, 'stopHoldMusic'),
    noEffect: noRoster,
  },
];

/** The rows of a table: `[kind, case]`. */
export const operationRows = (filter: (c: OperationCase) => boolean = () => true): Array<[string, OperationCase]> =>
  OPERATION_CASES.filter(filter).map((c) => [c.kind, c]);

/** Scripts the next request of that case. */
export function scriptNext(f: Fixture, c: OperationCase, script: OperationScript & InviteScript): void {
  if (c.fault === 'invite') f.stack.emulator.faults.nextInvite(script);
  else f.stack.emulator.faults.nextOperation(c.fault, script);
}

/** Every callback of this call was accepted (202). */
export function allDelivered(f: Fixture): void {
  const mine = f.stack.emulator.deliveries.filter((d) => d.callId === f.call.id);
  expect(mine.map((d) => d.status).filter((s) => s !== 202)).toEqual([]);
}

/** Lets anything that would still happen happen: only to prove that something did NOT (short). */
export const briefly = (ms = 60) => new Promise((resolve) => setTimeout(resolve, ms));

type OperationEventName = 'operationCompleted' | 'operationFailed';

/**
 * The operation event whose `sent` is `op`: the one recorded already, or the next one. (The
 * completion settles a little before the event fires, after the store releases the clientContext.)
 */
export function eventFor<K extends OperationEventName>(stack: Stack, name: K, op: Operation): Promise<CallingBotEventPayloads[K]> {
  const seen = stack.rec.of(name).find((e) => e.sent === op);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const listener = (e: CallingBotEventPayloads[K]) => {
      if (e.sent !== op) return;
      stack.bot.off(name, listener as never);
      resolve(e);
    };
    stack.bot.on(name, listener as never);
  });
}
