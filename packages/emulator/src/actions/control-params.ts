import { identifiedEntries, phoneId } from '../calls/identity.js';
import { badRequest } from '../http/errors.js';
import { E164 } from '../invite/validate.js';
import { isJsonObject, type JsonObject } from '../types.js';
import { present, requiredEnums } from './validate.js';

/** Modalities a bot may accept when it answers. */
export const MODALITIES = ['audio', 'video', 'videoBasedScreenSharing'] as const;

/** Media configurations an answer may name. */
export const MEDIA_CONFIG_TYPES = ['#microsoft.graph.serviceHostedMediaConfig', '#microsoft.graph.appHostedMediaConfig'] as const;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A `callbackUri` of answer/reject/redirect: Graph wants `https`; the emulator
 * also takes `http` on the loopback interface (a local bot). Absent: undefined,
 * or a 400 when `required`.
 */
export function callbackUriOf(body: JsonObject, required: boolean): string | undefined {
  const value = present(body, 'callbackUri');
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || !isCallbackUrl(value)) throw badRequest('callbackUri must be an https URL (or http on 127.0.0.1).');
  return value;
}

function isCallbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  } catch {
    return false;
  }
}

/** `acceptedModalities`: a non-empty collection of audio, video, videoBasedScreenSharing. */
export function modalitiesOf(body: JsonObject): string[] {
  return requiredEnums(body, 'acceptedModalities', MODALITIES, 'acceptedModalities is required and must name at least one modality.');
}

/** `mediaConfig`: a serviceHostedMediaConfig or an appHostedMediaConfig. */
export function mediaConfigOf(body: JsonObject): JsonObject {
  const value = present(body, 'mediaConfig');
  if (!isJsonObject(value) || !(MEDIA_CONFIG_TYPES as readonly unknown[]).includes(value['@odata.type'])) {
    throw badRequest(`mediaConfig is required and its @odata.type must be one of: ${MEDIA_CONFIG_TYPES.join(', ')}.`);
  }
  return value;
}

/** One invitationParticipantInfo: an identity with an id (a phone in E.164). */
export function invitationParticipantOf(value: unknown, where: string): JsonObject {
  if (!isJsonObject(value) || !isJsonObject(value.identity) || identifiedEntries(value.identity).length === 0) {
    throw badRequest(`${where} must be an invitationParticipantInfo with an identity that has an id.`);
  }
  const phone = phoneId(value.identity);
  if (phone !== undefined && !E164.test(phone)) throw badRequest(`The phone number ${phone} is not in E.164 format.`);
  return value;
}

/** A collection of `min`–`max` invitationParticipantInfo. */
export function invitationParticipantsOf(body: JsonObject, key: string, min: number, max: number): JsonObject[] {
  const value = present(body, key);
  if (!Array.isArray(value) || value.length < min) throw badRequest(`${key} must name at least ${min} participant.`);
  if (value.length > max) throw badRequest(`${key} takes at most ${max} participants.`);
  return value.map((item, i) => invitationParticipantOf(item, `${key}[${i}]`));
}

/** A participantInfo naming someone in the call: an identity with an id, or a participantId. */
export function participantInfoOf(value: unknown, where: string): JsonObject {
  const named = isJsonObject(value) && ((isJsonObject(value.identity) && identifiedEntries(value.identity).length > 0) || (typeof value.participantId === 'string' && value.participantId !== ''));
  if (!named) throw badRequest(`${where} must be a participantInfo with an identity that has an id (or a participantId).`);
  return value;
}
