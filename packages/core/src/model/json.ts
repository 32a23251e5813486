import type { ResultInfo } from './graph.js';

/** A JSON object: not null, not an array. Graph payloads are checked with this before use. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value when it is a non-empty string (Graph sends `null` and `""` for ids it has not given). */
export const nonEmptyString = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

const asNumber = (value: unknown): unknown => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value);

/**
 * A resultInfo object, or undefined for anything else (Graph sends `null` too). Microsoft's own
 * examples print codes as strings (`"code": "200"`) and spell `subCode` too: both are read as
 * the documented numeric `code` and `subcode`; other fields are kept.
 */
export function asResultInfo(value: unknown): ResultInfo | undefined {
  if (!isRecord(value)) return undefined;
  const { code, subcode, subCode } = value;
  const number = asNumber(code);
  const sub = asNumber(subcode ?? subCode);
  if (number === code && sub === subcode) return value as ResultInfo;
  const normal: ResultInfo = { ...value };
  if (code !== undefined) normal.code = number as ResultInfo['code'];
  if (sub !== undefined) normal.subcode = sub as ResultInfo['subcode'];
  delete normal['subCode'];
  return normal;
}

/** Structural equality of JSON values, stopping at the first difference. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let count = 0;
  for (const key in left) {
    if (!Object.prototype.hasOwnProperty.call(left, key)) continue;
    count++;
    if (!Object.prototype.hasOwnProperty.call(right, key) || !jsonEqual(left[key], right[key])) return false;
  }
  for (const key in right) if (Object.prototype.hasOwnProperty.call(right, key)) count--;
  return count === 0;
}
