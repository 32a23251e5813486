import { badRequest } from '../http/errors.js';
import { isJsonObject, type JsonObject } from '../types.js';
import { present, requiredEnums } from './validate.js';

/** Graph's documented limits on prompts. */
export const MAX_PLAY_PROMPTS = 20;
/** At most one prompt before a recording. */
export const MAX_RECORD_PROMPTS = 1;

/** DTMF tones Graph knows (toneInfo's `tone`). */
export const TONES = ['tone0', 'tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9', 'star', 'pound', 'a', 'b', 'c', 'd', 'flash'] as const;

/**
 * Checks one mediaPrompt: an object with a `mediaInfo` object whose `uri` is a
 * non-empty string (`resourceId` optional).
 */
export function checkMediaPrompt(prompt: unknown, where: string): JsonObject {
  if (!isJsonObject(prompt) || !isJsonObject(prompt.mediaInfo)) throw badRequest(`${where} must be a mediaPrompt with mediaInfo.`);
  const { uri, resourceId } = prompt.mediaInfo;
  if (typeof uri !== 'string' || uri.trim() === '') throw badRequest(`${where}.mediaInfo.uri is required.`);
  if (resourceId !== undefined && resourceId !== null && typeof resourceId !== 'string') throw badRequest(`${where}.mediaInfo.resourceId must be a string.`);
  return prompt;
}

/** The `prompts` collection: between `min` and `max` mediaPrompts (absent counts as empty). */
export function promptsOf(body: JsonObject, min: number, max: number): JsonObject[] {
  const value = present(body, 'prompts') ?? [];
  if (!Array.isArray(value)) throw badRequest('prompts must be a collection of mediaPrompt.');
  if (value.length < min) throw badRequest(`prompts must hold at least ${min} mediaPrompt.`);
  if (value.length > max) throw badRequest(`The maximum supported mediaPrompt collection size is ${max}.`);
  return value.map((prompt, i) => checkMediaPrompt(prompt, `prompts[${i}]`));
}

/** The `tones` of sendDtmfTones: a non-empty collection of known tones. */
export function tonesOf(body: JsonObject): string[] {
  return requiredEnums(body, 'tones', TONES, 'tones must name at least one tone.');
}
