import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ActionName, CallingBot, MediaPrompt } from '@graph-comms/core';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'test', 'fixtures', 'graph-docs');

/** A fresh parsed copy of one payload of Microsoft's page for an action (`test/fixtures/graph-docs/<action>/<file>`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are free-form JSON that tests reshape
export const graphDoc = (action: string, file: string): any => JSON.parse(readFileSync(join(docs, action, file), 'utf8'));

/** The Location header of the first example's response on Microsoft's page for an action, if it shows one. */
export const location = (action: string): Record<string, string> => {
  const headers = graphDoc(action, 'meta.json').examples[0].response.headers as Record<string, string>;
  return headers['Location'] ? { location: headers['Location'] } : {};
};

/** A valid prompt. */
export const prompt = (n = 0): MediaPrompt => ({ mediaInfo: { uri: `https://cdn.contoso.com/p${n}.wav` } });

/** One handle method: the action it sends, how to call it, and a request it accepts. */
export interface HandleMethod {
  /** As a user writes it, e.g. `call.playPrompt`. */
  label: string;
  action: Exclude<ActionName, 'invite'>;
  participant: boolean;
  /** Whether it answers an Operation (and takes a clientContext). */
  operation: boolean;
  /** Whether it takes a request argument at all. */
  takesRequest: boolean;
  valid: Record<string, unknown> | undefined;
  run: (bot: CallingBot, callId: string, participantId: string, request?: unknown) => Promise<unknown>;
}

const any = (r: unknown) => r as never;

/** Every handle method of `bot.call(id)` and `call.participant(pid)`. */
export const METHODS: readonly HandleMethod[] = [
  { label: 'call.playPrompt', action: 'playPrompt', participant: false, operation: true, takesRequest: true, valid: { prompts: [prompt()] }, run: (b, c, _p, r) => b.call(c).playPrompt(any(r)) },
  { label: 'call.recordResponse', action: 'recordResponse', participant: false, operation: true, takesRequest: true, valid: undefined, run: (b, c, _p, r) => b.call(c).recordResponse(any(r)) },
  { label: 'call.subscribeToTone', action: 'subscribeToTone', participant: false, operation: true, takesRequest: true, valid: undefined, run: (b, c, _p, r) => b.call(c).subscribeToTone(any(r)) },
  { label: 'call.sendDtmfTones', action: 'sendDtmfTones', participant: false, operation: true, takesRequest: true, valid: { tones: ['tone1', 'pound'] }, run: (b, c, _p, r) => b.call(c).sendDtmfTones(any(r)) },
  { label: 'call.cancelMediaProcessing', action: 'cancelMediaProcessing', participant: false, operation: true, takesRequest: true, valid: undefined, run: (b, c, _p, r) => b.call(c).cancelMediaProcessing(any(r)) },
  { label: 'call.mute', action: 'mute', participant: false, operation: true, takesRequest: true, valid: undefined, run: (b, c, _p, r) => b.call(c).mute(any(r)) },
  { label: 'call.unmute', action: 'unmute', participant: false, operation: true, takesRequest: true, valid: undefined, run: (b, c, _p, r) => b.call(c).unmute(any(r)) },
  { label: 'call.updateRecordingStatus', action: 'updateRecordingStatus', participant: false, operation: true, takesRequest: true, valid: { status: 'recording' }, run: (b, c, _p, r) => b.call(c).updateRecordingStatus(any(r)) },
  { label: 'call.changeScreenSharingRole', action: 'changeScreenSharingRole', participant: false, operation: false, takesRequest: true, valid: { role: 'viewer' }, run: (b, c, _p, r) => b.call(c).changeScreenSharingRole(any(r)) },
  { label: 'call.keepAlive', action: 'keepAlive', participant: false, operation: false, takesRequest: false, valid: undefined, run: (b, c) => b.call(c).keepAlive() },
  { label: 'call.hangUp', action: 'hangUp', participant: false, operation: false, takesRequest: false, valid: undefined, run: (b, c) => b.call(c).hangUp() },
  { label: 'participant.mute', action: 'muteParticipant', participant: true, operation: true, takesRequest: true, valid: undefined, run: (b, c, p, r) => b.call(c).participant(p).mute(any(r)) },
  { label: 'participant.remove', action: 'removeParticipant', participant: true, operation: false, takesRequest: false, valid: undefined, run: (b, c, p) => b.call(c).participant(p).remove() },
  { label: 'participant.startHoldMusic', action: 'startHoldMusic', participant: true, operation: true, takesRequest: true, valid: undefined, run: (b, c, p, r) => b.call(c).participant(p).startHoldMusic(any(r)) },
  { label: 'participant.stopHoldMusic', action: 'stopHoldMusic', participant: true, operation: true, takesRequest: true, valid: undefined, run: (b, c, p, r) => b.call(c).participant(p).stopHoldMusic(any(r)) },
];

/** The method of a label. */
export const method = (label: string): HandleMethod => {
  const found = METHODS.find((m) => m.label === label);
  if (!found) throw new Error(`no handle method ${label}`);
  return found;
};

/** Ids that cannot go into a request path. */
export const UNSAFE_IDS: readonly string[] = ['', '.', '..', 'a/b', 'a?b', 'a#b', 'a%2e', 'a\u0000b'];

/** Whether a promise has settled, without waiting for it. */
export async function settled(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  return (await Promise.race([promise, Promise.resolve(pending)])) !== pending;
}
