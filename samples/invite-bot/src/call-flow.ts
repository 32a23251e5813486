/**
 * The sample bot's own calls: a small phone menu, driven by the bot's events.
 *
 *   someone calls      → answer (incomingCall)
 *   call established   → subscribe to tones, play the menu (callEstablished)
 *   1                  → record a message and download it
 *   2                  → invite an agent into the call
 *   0                  → transfer the call to the operator (the bot's part of the call ends)
 *   #                  → hang up
 */
import { GraphCommsError, InviteValidationError, RequestValidationError, type CallHandle, type CallingBot, type InvitationParticipantInfo, type ResultInfo } from '@graph-comms/core';
import { describe, key, short, type Say } from './create-bot.js';

export interface CallFlowOptions {
  /** Where the answered calls' callbacks go; without it, the bot's `callbackUri` option. */
  callbackUri?: string;
  /** The menu, played once the call is established (Graph fetches it: a public https URL). */
  menuPromptUri: string;
  /** Whom key 2 invites into the call. */
  agent: InvitationParticipantInfo;
  /** Where key 0 transfers the call. */
  operator: InvitationParticipantInfo;
  say?: Say;
}

/** What the flow did on a call: a real bot might log or count these; the demo waits on them. */
export type CallFlowStep = { callId: string } & (
  | { step: 'menuPlayed' }
  | { step: 'recorded'; bytes: number; wav: boolean }
  | { step: 'invited' }
  | { step: 'transferred' }
  | { step: 'hungUp'; keys: string[] }
  | { step: 'ended'; reason: string | undefined }
  | { step: 'failed'; action: string; message: string }
);

export interface CallFlow {
  /** Calls `listener` after each step; returns the function that stops it. */
  onStep(listener: (step: CallFlowStep) => void): () => void;
}

/** Follows every call offered to the bot through the menu above. */
export function startCallFlow(bot: CallingBot, options: CallFlowOptions): CallFlow {
  const say = options.say ?? ((line: string) => console.log(line));
  const listeners = new Set<(step: CallFlowStep) => void>();
  const report = (step: CallFlowStep): void => listeners.forEach((listener) => listener(step));
  // Calls this flow answered: other calls of the bot (meetings it joined, calls it placed) are left alone.
  const answered = new Set<string>();
  const keys = new Map<string, string[]>();
  // One job at a time per call: a key pressed while a recording runs waits for it, instead of
  // (say) hanging up under it.
  const queues = new Map<string, Promise<void>>();

  const run = (callId: string, action: string, job: (call: CallHandle) => Promise<CallFlowStep | undefined>): void => {
    const work = async (): Promise<void> => {
      try {
        const done = await job(bot.call(callId));
        if (done) report(done);
      } catch (error) {
        // The code (and the broken rule) tell a refused request from a Graph error or a lost call.
        const rule = error instanceof RequestValidationError || error instanceof InviteValidationError ? ` ${error.rule}` : '';
        const tag = error instanceof GraphCommsError ? ` [${error.code}${rule}]` : '';
        const message = `${error instanceof Error ? error.message : String(error)}${tag}`;
        say(`   bot: ${action} failed: ${message}`);
        report({ callId, step: 'failed', action, message });
      }
    };
    queues.set(callId, (queues.get(callId) ?? Promise.resolve()).then(work));
  };

  const menu: Record<string, { action: string; job: (call: CallHandle) => Promise<CallFlowStep> }> = {
    tone1: {
      action: 'recordResponse',
      job: async (call) => {
        say('   bot: recording a message');
        const outcome = completed('recording', await (await call.recordResponse({ maxRecordDurationInSeconds: 30, playBeep: true })).completion);
        // Graph keeps a recording briefly and its token is short-lived: fetch it now.
        const wav = await bot.downloadRecording(outcome, { timeoutMs: 5_000 });
        const isWav = wav.subarray(0, 4).toString('latin1') === 'RIFF';
        say(`   bot: downloaded the recording: ${wav.length} bytes, ${isWav ? 'a WAV (starts with RIFF)' : 'not a WAV'}`);
        return { callId: call.id, step: 'recorded', bytes: wav.length, wav: isWav };
      },
    },
    tone2: {
      action: 'invite',
      job: async (call) => {
        say(`   bot: inviting ${describe(options.agent.identity)} into the call`);
        completed('invite', await (await call.invite({ participants: [options.agent] })).completion);
        return { callId: call.id, step: 'invited' };
      },
    },
    tone0: {
      action: 'transfer',
      job: async (call) => {
        say(`   bot: transferring the call to ${describe(options.operator.identity)}`);
        // No operation here: the transfer's completion follows the call's states.
        completed('transfer', await (await call.transfer({ transferTarget: options.operator })).completion);
        say('   bot: transfer completed');
        return { callId: call.id, step: 'transferred' };
      },
    },
    pound: {
      action: 'hangUp',
      job: async (call) => {
        const pressed = keys.get(call.id) ?? [];
        say(`   bot: hanging up (keys pressed on this call: ${pressed.map(key).join(' ')})`);
        await call.hangUp();
        return { callId: call.id, step: 'hungUp', keys: pressed };
      },
    },
  };

  bot.on('incomingCall', ({ callId, answer }) => {
    // Before answering: the call may be established before Graph's answer reaches us.
    answered.add(callId);
    run(callId, 'answer', async () => {
      say(`   bot: answering call ${short(callId)}`);
      // Audio and service-hosted media by default: Graph plays and records for the bot.
      await answer(options.callbackUri ? { callbackUri: options.callbackUri } : undefined);
      return undefined;
    });
  });

  bot.on('callEstablished', ({ callId }) => {
    if (!answered.has(callId)) return;
    run(callId, 'menu', async (call) => {
      say('   bot: subscribing to tones, playing the menu');
      await call.subscribeToTone();
      completed('menu', await (await call.playPrompt({ prompts: [{ mediaInfo: { uri: options.menuPromptUri } }] })).completion);
      return { callId, step: 'menuPlayed' };
    });
  });

  bot.on('toneReceived', ({ callId, tone }) => {
    if (!answered.has(callId)) return;
    keys.set(callId, [...(keys.get(callId) ?? []), tone]);
    const choice = menu[tone];
    if (choice) run(callId, choice.action, choice.job);
    else say(`   bot: ${key(tone)} is not on the menu`);
  });

  bot.on('callTerminated', ({ callId, reason }) => {
    if (!answered.delete(callId)) return;
    keys.delete(callId);
    queues.delete(callId);
    report({ callId, step: 'ended', reason });
  });

  return {
    onStep(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/** An operation's outcome, when it completed; a failed or timed-out one ends the step. */
function completed<O extends { status: string; resultInfo?: ResultInfo }>(what: string, outcome: O): O {
  if (outcome.status === 'completed') return outcome;
  const info = outcome.resultInfo;
  const why = info ? ` (${info.code}/${info.subcode}${info.message ? ` ${info.message}` : ''})` : '';
  throw new Error(`the ${what} ${outcome.status}${why}`);
}
