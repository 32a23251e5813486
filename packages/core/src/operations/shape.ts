import { isRecord } from '../model/json.js';

/**
 * The keys one object of a request body may hold: for each, the shape of its value when that is
 * an object or a list of objects (`null`: a plain value). Values of the wrong type are left to
 * the field rules; a shape only knows keys.
 */
export interface Shape {
  /** What the object is, for messages: `an invitationParticipantInfo`. */
  readonly what: string;
  readonly keys: ReadonlyMap<string, Shape | null>;
  /** Whether the object takes `extra` (fields merged as they are). */
  readonly extra: boolean;
}

/** The fields of `T`, each with its value's shape: every key listed, and no other (`extra` aside). */
export type ShapeFields<T> = { readonly [K in Exclude<keyof T, 'extra'>]-?: Shape | null };

/** The shape of objects of type `T`; `extra` is allowed exactly when `T` has it. */
export function shapeOf<T>(what: string, fields: ShapeFields<T>, extra: 'extra' extends keyof T ? true : false): Shape {
  return { what, keys: new Map(Object.entries(fields) as Array<[string, Shape | null]>), extra };
}

/** How a key rule is refused: `unknown_field` for a key the shape does not name, `extra.invalid` for a bad `extra`. */
export type RefuseKey = (rule: 'unknown_field' | 'extra.invalid', path: string, message: string) => Error;

/**
 * Checks every key of `value` against `shape`, down through the objects and lists the shape
 * names, and returns the value as it is sent: with each `extra` merged into its object. Objects
 * with no `extra` below them are returned as they are.
 */
export function shapeBody(shape: Shape, value: Record<string, unknown>, refuse: RefuseKey, path = ''): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  const set = (key: string, v: unknown) => {
    out ??= { ...value };
    out[key] = v;
  };
  for (const [key, v] of Object.entries(value)) {
    const at = join(path, key);
    if (key === 'extra' && shape.extra) {
      if (v === undefined) continue;
      if (!isRecord(v)) throw refuse('extra.invalid', at, 'extra must be an object of the fields to send as they are');
      const named = Object.keys(v).find((k) => shape.keys.has(k));
      if (named !== undefined) throw refuse('extra.invalid', join(at, named), `${named} is a field of ${shape.what}: give it directly, not in extra`);
      continue;
    }
    if (!shape.keys.has(key)) throw refuse('unknown_field', at, `not a field of ${shape.what}${suggestion(key, shape)}`);
    const inner = shape.keys.get(key);
    if (!inner) continue;
    if (isRecord(v)) {
      const shaped = shapeBody(inner, v, refuse, at);
      if (shaped !== v) set(key, shaped);
    } else if (Array.isArray(v)) {
      const items = v.map((item: unknown, i) => (isRecord(item) ? shapeBody(inner, item, refuse, `${at}[${i}]`) : item));
      if (items.some((item, i) => item !== v[i])) set(key, items);
    }
  }
  if (shape.extra && 'extra' in value) {
    out ??= { ...value };
    const extra = out['extra'];
    delete out['extra'];
    if (isRecord(extra)) Object.assign(out, extra);
  }
  return out ?? value;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const join = (path: string, key: string): string => (IDENTIFIER.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`);

/** ` (did you mean replacesCallId?)` for a key a few edits from a field (three for long keys, two else), or differing in case only. */
function suggestion(key: string, shape: Shape): string {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = key.length >= 12 ? 4 : 3;
  for (const field of shape.keys.keys()) {
    const d = field.toLowerCase() === lower ? 0 : distance(lower, field.toLowerCase(), bestDistance);
    if (d < bestDistance) [best, bestDistance] = [field, d];
  }
  return best === undefined ? '' : ` (did you mean ${best}?)`;
}

// Levenshtein distance, given up on once it reaches `limit`.
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (Math.min(...row) >= limit) return limit;
    previous = row;
  }
  return Math.min(previous[b.length]!, limit);
}
