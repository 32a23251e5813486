import type { CommsNotification, GraphEmulator, JsonObject } from '../src/index.js';
import { request, user, type TestBot } from './helpers.js';

/** A mediaPrompt as the playPrompt page writes it. */
export const PROMPT: JsonObject = {
  '@odata.type': '#microsoft.graph.mediaPrompt',
  mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://cdn.contoso.com/beep.wav', resourceId: '1D6DE2D4-CD51-4309-8DAA-70768651088E' },
};

/** A JSON answer of the emulator. */
export interface Answer {
  status: number;
  location: string | null;
  body: JsonObject;
}

/** POSTs an action under `/v1.0/communications/calls/{callId}/` (or another prefix). */
export async function act(emulator: GraphEmulator, callId: string, path: string, body?: unknown, prefix = 'v1.0/communications/calls'): Promise<Answer> {
  const response = await request(emulator, 'POST', `${prefix}/${callId}/${path}`, body);
  return { status: response.status, location: response.headers.get('location'), body: (response.body ?? {}) as JsonObject };
}

/** A group call with the bot and one member; returns its id, the member's participant id and the bot's. */
export function groupCall(emulator: GraphEmulator, bot: TestBot): { callId: string; memberId: string; botId: string } {
  const call = emulator.createCall({ callbackUri: bot.url(), kind: 'group', participants: [user('member')] });
  const ids = call.participants.map((p) => String(p.id));
  const botId = call.resource.myParticipantId as string;
  return { callId: call.id, botId, memberId: ids.find((id) => id !== botId) as string };
}

/** The notifications about one operation. */
export function aboutOperation(bot: TestBot, callId: string, operationId: string): CommsNotification[] {
  return bot.about(callId).filter((n) => n.resourceUrl === `/communications/calls/${callId}/operations/${operationId}`);
}

/** The same GUID as Graph's notification paths sometimes write it: upper case, no dashes. */
export function compact(guid: string): string {
  return guid.replaceAll('-', '').toUpperCase();
}
