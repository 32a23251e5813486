import { isE164 } from '../model/identity.js';
import { isRecord } from '../model/json.js';
import type { FieldCheck } from './rules.js';


/**
 * The rules of a new call that span fields: targets or a meeting; a phone target (PSTN) only
 * from an application instance (`source.identity.applicationInstance`, which has the number),
 * and in E.164.
 */
export const checkCallTargets: FieldCheck = (body, refuse) => {
  const targets = Array.isArray(body['targets']) ? body['targets'] : [];
  if (targets.length === 0 && !isRecord(body['meetingInfo'])) throw refuse('targets', 'missing', 'a call needs targets, or meetingInfo to join a meeting');
  const phones = targets.map((t) => (isRecord(t) && isRecord(t['identity']) ? t['identity']['phone'] : undefined)).filter((p) => p !== undefined);
  if (phones.length === 0) return;
  const bad = phones.find((p) => !(isRecord(p) && isE164(p['id'])));
  if (bad !== undefined) throw refuse('targets', 'invalid', 'a phone target needs an E.164 id ("+" and 1 to 15 digits)');
  const source = body['source'];
  const instance = isRecord(source) && isRecord(source['identity']) ? source['identity']['applicationInstance'] : undefined;
  if (!isRecord(instance) || typeof instance['id'] !== 'string') {
    throw refuse('source', 'missing', 'a call to a phone number needs source.identity.applicationInstance (an application instance with a phone number)');
  }
};
