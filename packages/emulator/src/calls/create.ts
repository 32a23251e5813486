import { badRequest } from '../http/errors.js';
import type { ResolvedOptions } from '../options.js';
import { isJsonObject, type CallKind, type IdentitySet, type JsonObject } from '../types.js';
import { checkCallTargets, checkMeeting } from './create-rules.js';
import { identifiedEntries, notificationIdentitySet } from './identity.js';
import type { CallSetup } from './lifecycle.js';

/** Fields of a create-call body that the call resource echoes back. */
const ECHOED = ['targets', 'requestedModalities', 'mediaConfig', 'chatInfo', 'meetingInfo', 'subject'];

/**
 * Reads a `POST /communications/calls` body. One target and no meeting makes a
 * peer-to-peer call (PSTN with a phone target); `meetingInfo` a meeting; `chatInfo`
 * or several targets a group call. See {@link checkCallTargets} and {@link checkMeeting}.
 */
export function parseCreateCall(body: unknown, options: ResolvedOptions): CallSetup {
  if (!isJsonObject(body)) throw badRequest('The request body must be a call object.');
  const callbackUri = body.callbackUri;
  if (typeof callbackUri !== 'string' || !isHttpUrl(callbackUri)) throw badRequest('callbackUri is required and must be an absolute http(s) URL.');
  const rawTargets = body.targets ?? [];
  if (!Array.isArray(rawTargets)) throw badRequest('targets must be a collection of invitationParticipantInfo.');
  const targets: IdentitySet[] = rawTargets.map((target, i) => {
    const identity = isJsonObject(target) ? target.identity : undefined;
    if (!isJsonObject(identity) || identifiedEntries(identity).length === 0) throw badRequest(`targets[${i}] has no identity with an id.`);
    return identity;
  });
  const meetingInfo = isJsonObject(body.meetingInfo) ? body.meetingInfo : undefined;
  if (targets.length === 0 && meetingInfo === undefined) throw badRequest('A call needs targets or meetingInfo.');
  checkCallTargets(targets, body.source);
  const request = pick(body, ECHOED);
  if (meetingInfo !== undefined) request.chatInfo = structuredClone(checkMeeting(meetingInfo, body.chatInfo));
  const tenantId = typeof body.tenantId === 'string' && body.tenantId !== '' ? body.tenantId : options.tenantId;
  return {
    callbackUri,
    tenantId,
    kind: callKind(targets.length, meetingInfo !== undefined, isJsonObject(body.chatInfo)),
    direction: 'outgoing',
    botIdentity: botIdentity(body.source, options.appId, tenantId),
    request,
    targets,
  };
}

/** The kind of a call with `targetCount` targets. */
export function callKind(targetCount: number, hasMeeting: boolean, hasChat: boolean): CallKind {
  if (hasMeeting) return 'meeting';
  return hasChat || targetCount !== 1 ? 'group' : 'peerToPeer';
}

/** The bot's identity in the call: the request's `source`, else the application with the emulator's app id. */
export function botIdentity(source: unknown, appId: string, tenantId: string): IdentitySet {
  const identity = isJsonObject(source) ? source.identity : undefined;
  if (isJsonObject(identity) && identifiedEntries(identity).length > 0) return notificationIdentitySet(identity, tenantId);
  return notificationIdentitySet({ application: { id: appId } }, tenantId);
}

function pick(body: JsonObject, keys: readonly string[]): JsonObject {
  const picked: JsonObject = {};
  for (const key of keys) if (body[key] !== undefined) picked[key] = structuredClone(body[key]);
  return picked;
}

/** True for an absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
