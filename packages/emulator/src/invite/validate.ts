import type { CallRecord } from '../calls/registry.js';
import { identifiedEntries, identityKeys, isBot, phoneId } from '../calls/identity.js';
import { badRequest } from '../http/errors.js';
import type { ReplacesCallIdPolicy } from '../options.js';
import { isJsonObject, type JsonObject } from '../types.js';

/** An invite request that passed validation. */
export interface ValidInvite {
  /** The invitationParticipantInfo entries to act on (only the first one under `firstOnly`). */
  participants: JsonObject[];
  clientContext: string | null;
}

/** Graph's documented limits. */
export const MAX_INVITEES = 5;
/** The longest clientContext Graph takes, in characters. */
export const MAX_CLIENT_CONTEXT = 256;

/** E.164: `+`, a country code that does not start with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{0,14}$/;

/**
 * Checks an invite body against the rules of the invite page and of Graph's
 * behaviour; throws a 400 {@link GraphHttpError} naming the broken rule.
 */
export function validateInvite(body: unknown, call: CallRecord, policy: ReplacesCallIdPolicy): ValidInvite {
  if (!isJsonObject(body)) throw badRequest('The request body must be an object with participants.');
  const clientContext = body.clientContext ?? null;
  if (clientContext !== null && typeof clientContext !== 'string') throw badRequest('clientContext must be a string.');
  if (clientContext !== null && clientContext.length > MAX_CLIENT_CONTEXT) {
    throw badRequest(`clientContext is longer than ${MAX_CLIENT_CONTEXT} characters.`);
  }
  const raw = body.participants;
  if (!Array.isArray(raw) || raw.length === 0) throw badRequest('participants must name at least one participant.');
  let participants = raw.map((entry, i) => {
    if (!isJsonObject(entry) || !isJsonObject(entry.identity) || identifiedEntries(entry.identity).length === 0) {
      throw badRequest(`participants[${i}] has no identity with an id.`);
    }
    return entry;
  });
  const replacing = participants.some((p) => isSet(p.replacesCallId) || isSet(p.participantId));
  if (replacing && participants.length > 1) {
    // The page says Graph reads only the first; the default refuses, so that a bot learns it early.
    if (policy === 'reject') throw badRequest('Only one participant can be invited with replacesCallId or participantId.');
    participants = participants.slice(0, 1);
  }
  if (participants.length > MAX_INVITEES) throw badRequest(`At most ${MAX_INVITEES} participants can be invited at once.`);
  if (call.kind === 'peerToPeer' && participants.length > 1) {
    throw badRequest('Inviting several participants in one request is only supported for group calls.');
  }
  if (participants.filter((p) => isBot(identityOf(p))).length > 1) throw badRequest('At most one bot can be invited.');
  const seen = new Set<string>();
  for (const p of participants) {
    for (const key of identityKeys(identityOf(p))) {
      if (seen.has(key)) throw badRequest(`The identity ${key} is invited twice.`);
      seen.add(key);
    }
    const phone = phoneId(identityOf(p));
    if (phone !== undefined && !E164.test(phone)) throw badRequest(`The phone number ${phone} is not in E.164 format.`);
  }
  return { participants, clientContext };
}

/** The identity set of a participant that passed the identity check. */
export function identityOf(participant: JsonObject): JsonObject {
  return isJsonObject(participant.identity) ? participant.identity : {};
}

function isSet(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}
