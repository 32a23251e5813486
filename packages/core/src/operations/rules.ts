import { RequestValidationError, type RequestField, type RequestProblem } from '../errors.js';
import { isRecord } from '../model/json.js';
import { TONES } from './requests.js';
import type { RefuseKey } from './shape.js';

/** Graph's limit on clientContext. */
export const MAX_CLIENT_CONTEXT_LENGTH = 256;

/** Checks one field of a request body; throws what `refuse` makes. */
export type FieldCheck = (body: Record<string, unknown>, refuse: Refuse) => void;
/** Makes the error for a broken rule of a field; `key` for a key rule (an unknown key, a bad `extra`). */
export interface Refuse {
  (field: RequestField, problem: RequestProblem, message: string): Error;
  readonly key: RefuseKey;
}

/** A Refuse from its two halves. */
export const refusal = (field: (field: RequestField, problem: RequestProblem, message: string) => Error, key: RefuseKey): Refuse => Object.assign(field, { key });

/** The refusal of every action but invite. */
export const refuseRequest = (action: string): Refuse =>
  refusal(
    (field, problem, message) => new RequestValidationError(action, `${field}.${problem}`, message),
    (rule, path, message) => new RequestValidationError(action, rule, message, path),
  );

const absent = (v: unknown): boolean => v === undefined;

/** A mediaPrompt: `mediaInfo` with a non-empty `uri`. */
const isPrompt = (p: unknown): boolean => isRecord(p) && isRecord(p['mediaInfo']) && typeof p['mediaInfo']['uri'] === 'string' && p['mediaInfo']['uri'].length > 0;
const isTone = (t: unknown): boolean => typeof t === 'string' && (TONES as readonly string[]).includes(t);

/** A list of `min` to `max` items, each accepted by `item`; optional unless `min` > 0. */
export function list(field: RequestField, min: number, max: number, item: (v: unknown) => boolean, what: string): FieldCheck {
  return (body, refuse) => {
    const v = body[field];
    if (absent(v) && min === 0) return;
    if (!Array.isArray(v)) throw min === 0 ? refuse(field, 'invalid', `${field} must be a list of ${what}`) : refuse(field, 'missing', `${field} must list at least ${min} ${what}`);
    if (v.length < min) throw refuse(field, 'missing', `${field} must list at least ${min} ${what}`);
    if (v.length > max) throw refuse(field, 'tooMany', `${field} takes at most ${max} ${what}, got ${v.length}`);
    const bad = v.findIndex((x) => !item(x));
    if (bad !== -1) throw refuse(field, 'invalid', `${field}[${bad}] is not a valid ${what.replace(/s$/, '')}`);
  };
}

/** Prompts: mediaPrompt objects with a `mediaInfo.uri`. */
export const prompts = (field: RequestField, min: number, max: number): FieldCheck => list(field, min, max, isPrompt, 'prompts (mediaPrompt with mediaInfo.uri)');
/** Tones: `tone0`...`tone9`, `star`, `pound`, `a`...`d`, `flash`. */
export const tones = (field: RequestField, min: number): FieldCheck => list(field, min, 10_000, isTone, 'tones');

/** Strings that are not empty: recordResponse's stopTones are characters (`#`, `1`, `*`) on Graph's page. */
export const keys = (field: RequestField): FieldCheck => list(field, 0, 10_000, (k) => typeof k === 'string' && k.length > 0, 'keys');

/** An optional single prompt. */
export const prompt =
  (field: RequestField): FieldCheck =>
  (body, refuse) => {
    if (!absent(body[field]) && !isPrompt(body[field])) throw refuse(field, 'invalid', `${field} must be a mediaPrompt with mediaInfo.uri`);
  };

/** An optional whole number from `min` to `max`. */
export const integer =
  (field: RequestField, min: number, max: number): FieldCheck =>
  (body, refuse) => {
    const v = body[field];
    if (absent(v)) return;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw refuse(field, 'invalid', `${field} must be a whole number`);
    if (v < min || v > max) throw refuse(field, 'outOfRange', `${field} must be from ${min} to ${max}, got ${v}`);
  };

/** An optional boolean. */
export const flag =
  (field: RequestField): FieldCheck =>
  (body, refuse) => {
    if (!absent(body[field]) && typeof body[field] !== 'boolean') throw refuse(field, 'invalid', `${field} must be true or false`);
  };

/** A required value out of `values`. */
export const oneOf =
  (field: RequestField, values: readonly string[]): FieldCheck =>
  (body, refuse) => {
    const v = body[field];
    if (absent(v)) throw refuse(field, 'missing', `${field} is required (${values.join(', ')})`);
    if (typeof v !== 'string' || !values.includes(v)) throw refuse(field, 'invalid', `${field} must be one of ${values.join(', ')}, got ${JSON.stringify(v)?.slice(0, 40)}`);
  };

/** The optional clientContext every operation takes. */
export const clientContext: FieldCheck = (body, refuse) => {
  const v = body['clientContext'];
  if (absent(v)) return;
  if (typeof v !== 'string' || v.length === 0) throw refuse('clientContext', 'invalid', 'clientContext must be a non-empty string');
  if (v.length > MAX_CLIENT_CONTEXT_LENGTH) {
    throw refuse('clientContext', 'tooLong', `clientContext is ${v.length} characters; the limit is ${MAX_CLIENT_CONTEXT_LENGTH}`);
  }
};

const isObject = (v: unknown): boolean => isRecord(v);
const hasIdentity = (v: unknown): boolean => isRecord(v) && isRecord(v['identity']);
const MODALITIES = ['audio', 'video', 'videoBasedScreenSharing'];

/** An optional object. */
export const object =
  (field: RequestField, required = false): FieldCheck =>
  (body, refuse) => {
    const v = body[field];
    if (absent(v)) {
      if (required) throw refuse(field, 'missing', `${field} is required`);
      return;
    }
    if (!isObject(v)) throw refuse(field, 'invalid', `${field} must be an object`);
  };

/** An invitationParticipantInfo (an object with an identity set). */
export const participant =
  (field: RequestField, required: boolean): FieldCheck =>
  (body, refuse) => {
    const v = body[field];
    if (absent(v) && !required) return;
    if (absent(v)) throw refuse(field, 'missing', `${field} is required (an invitationParticipantInfo with an identity)`);
    if (!hasIdentity(v)) throw refuse(field, 'invalid', `${field} must be an object with an identity set`);
  };

/** 1 to `max` invitationParticipantInfo targets (0 when `min` is 0). */
export const targets = (field: RequestField, min: number, max: number): FieldCheck => list(field, min, max, hasIdentity, 'targets (invitationParticipantInfo with an identity)');

/** Modalities: `audio`, `video`, `videoBasedScreenSharing`; at least one when given (left out, the default applies). */
export const modalities = (field: RequestField): FieldCheck => {
  const given = list(field, 1, MODALITIES.length, (m) => typeof m === 'string' && MODALITIES.includes(m), 'modalities (audio, video, videoBasedScreenSharing)');
  return (body, refuse) => {
    if (!absent(body[field])) given(body, refuse);
  };
};

/** An optional value out of `values`. */
export const optionalOneOf =
  (field: RequestField, values: readonly string[]): FieldCheck =>
  (body, refuse) => {
    if (!absent(body[field])) oneOf(field, values)(body, refuse);
  };

/** An absolute http(s) URL, when given. */
export const url =
  (field: RequestField): FieldCheck =>
  (body, refuse) => {
    const v = body[field];
    if (absent(v)) return;
    if (!isAbsoluteHttpUrl(v)) throw refuse(field, 'invalid', `${field} must be an absolute http(s) URL`);
  };

/** Whether a value is an absolute http(s) URL. */
export function isAbsoluteHttpUrl(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  try {
    const parsed = new URL(v);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

/** A mediaConfig: an object naming its `@odata.type`. */
export const mediaConfig: FieldCheck = (body, refuse) => {
  const v = body['mediaConfig'];
  if (absent(v)) return;
  if (!isRecord(v) || typeof v['@odata.type'] !== 'string') throw refuse('mediaConfig', 'invalid', 'mediaConfig must be an object with an @odata.type (serviceHostedMediaConfig or appHostedMediaConfig)');
};
