import { InviteValidationError, type InviteRule } from '../errors.js';
import type { InvitationParticipantInfo } from '../model/graph.js';
import { BOT_IDENTITY_KINDS, isE164, namedIdentities, namedKey } from '../model/identity.js';
import type { InviteRequest } from '../operations/requests.js';
import { BODY_SHAPES } from '../operations/body-shapes.js';
import { clientContext, refusal, type Refuse } from '../operations/rules.js';
import { shapeBody } from '../operations/shape.js';
import { unsafePathSegment } from '../model/ids.js';
import { isRecord } from '../model/json.js';

/** Graph invites at most this many participants in one request. */
export const MAX_INVITEES = 5;
export { MAX_CLIENT_CONTEXT_LENGTH } from '../operations/rules.js';

// The participant a key path is under: `participants[2].identity.usr` → 2.
const participantAt = (path: string): number | undefined => {
  const index = /^participants\[(\d+)\]/.exec(path)?.[1];
  return index === undefined ? undefined : Number(index);
};

/** The errors of invite rules: `InviteValidationError`, as `bot.invite()` has always thrown. */
export const refuseInvite: Refuse = refusal(
  (field, problem, message) => new InviteValidationError(`${field}.${problem}` as InviteRule, message),
  (rule, path, message) => new InviteValidationError(rule, message, participantAt(path), path),
);

/**
 * Checks an invite against the documented rules of `participants/invite`, so that a request
 * Graph would refuse fails here, with the rule and the participant, and costs no HTTP call.
 */
export function validateInvite(callId: unknown, request: unknown): asserts request is InviteRequest {
  const unsafe = unsafePathSegment(callId);
  if (unsafe) throw new InviteValidationError('callId.invalid', `callId ${unsafe}`);
  if (isRecord(request)) shapeBody(BODY_SHAPES.invite, request, refuseInvite.key);
  checkInviteBody(request);
  if (isRecord(request)) clientContext(request, refuseInvite);
}

/** The rules of the invite's body, clientContext aside (checked with every action's). */
export function checkInviteBody(request: unknown): void {
  if (!isRecord(request)) throw new InviteValidationError('participants.missing', 'the request must be an object with participants');
  const participants = request['participants'];
  if (!Array.isArray(participants) || participants.length === 0) {
    throw new InviteValidationError('participants.missing', 'participants must list at least one invitee');
  }
  if (participants.length > MAX_INVITEES) {
    throw new InviteValidationError('participants.tooMany', `at most ${MAX_INVITEES} participants can be invited at once, got ${participants.length}`);
  }
  participants.forEach(checkParticipant);
  checkTogether(participants as InvitationParticipantInfo[]);
}

function checkParticipant(p: unknown, index: number): void {
  if (!isRecord(p)) throw new InviteValidationError('participants.notAnObject', 'expected an invitationParticipantInfo object', index);
  if (!isRecord(p['identity'])) throw new InviteValidationError('identity.missing', 'identity must be an identitySet', index);
  for (const field of ['replacesCallId', 'participantId'] as const) {
    const v = p[field];
    if (v !== undefined && v !== null && (typeof v !== 'string' || v.length === 0)) {
      throw new InviteValidationError('identity.invalid', `${field} must be a non-empty string`, index);
    }
  }
  if (p['participantId'] && !p['replacesCallId']) {
    throw new InviteValidationError('move.requiresReplacesCallId', 'participantId moves a participant and needs replacesCallId (the source meeting)', index);
  }
  const identity = p['identity'];
  const named = namedIdentities(identity);
  if (named.length === 0) throw new InviteValidationError('identity.missing', 'the identitySet names no identity (no kind with an id)', index);
  const phone = identity['phone'];
  if (isRecord(phone) && !isE164(phone['id'])) {
    throw new InviteValidationError('phone.notE164', `phone id ${JSON.stringify(phone['id'])} is not E.164 ("+" and 1 to 15 digits)`, index);
  }
}

function checkTogether(participants: InvitationParticipantInfo[]): void {
  if (participants.length > 1) {
    const index = participants.findIndex((p) => p.replacesCallId || p.participantId);
    if (index !== -1) {
      throw new InviteValidationError('replace.singleParticipant', 'replacing a peer-to-peer call or moving a participant takes exactly one participant', index);
    }
  }
  const seen = new Map<string, number>();
  let bot: number | undefined;
  participants.forEach((p, index) => {
    const named = namedIdentities(p.identity);
    if (named.some((n) => (BOT_IDENTITY_KINDS as readonly string[]).includes(n.kind))) {
      if (bot !== undefined) throw new InviteValidationError('bots.tooMany', `only one bot can be invited; participant ${bot} is one already`, index);
      bot = index;
    }
    for (const n of named) {
      const key = namedKey(n);
      const first = seen.get(key);
      if (first !== undefined) throw new InviteValidationError('identity.duplicate', `${n.kind} ${n.id} is invited twice (also participants[${first}])`, index);
      seen.set(key, index);
    }
  });
}
