import { types } from 'node:util';

/** Keys whose values never reach a log line, whoever put them in the fields. */
const SECRET_KEY = /authorization|token|secret|password|cookie/i;
/** Deeper than this, objects are summarized: a log line is not a dump. */
const MAX_DEPTH = 6;

/**
 * One console log line: level, message, then the fields as JSON. An Error (under `err` or
 * elsewhere) becomes its name, message, code, stack and cause; the stack's line breaks stay
 * escaped inside the JSON, so that every entry is exactly one line.
 */
export function formatLogLine(level: string, fields: unknown, message: string | undefined): string {
  const text = oneLine(typeof message === 'string' ? message : '');
  const json = fieldsJson(fields);
  return `${level.toUpperCase()} graph-comms: ${text}${json === '{}' ? '' : ` ${json}`}`;
}

// A message naming a call id from a callback must not be able to start a forged line.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();

/** The fields as one line of JSON; never throws, whatever they hold (cycles, BigInt, throwing getters). */
export function fieldsJson(fields: unknown): string {
  try {
    const json = JSON.stringify(plain(fields, 0, []));
    return json === undefined ? '{}' : json;
  } catch {
    return '{"logFields":"unserializable"}';
  }
}

function plain(value: unknown, depth: number, ancestors: object[]): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.includes(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[Array]' : '[Object]';
  const inside = [...ancestors, value];
  // isNativeError also knows errors made in another realm (a vm context, a worker's fetch).
  if (value instanceof Error || types.isNativeError(value)) return errorFields(value as Error, depth, inside);
  if (Array.isArray(value)) return value.map((item: unknown) => plain(item, depth + 1, inside) ?? null);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return plain((value as { toJSON(): unknown }).toJSON(), depth + 1, inside);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = SECRET_KEY.test(key) ? '[redacted]' : plain(item, depth + 1, inside);
  return out;
}

// Only primitives besides the stack and the cause: an HTTP client's error may carry its whole
// request, headers included.
function errorFields(error: Error, depth: number, ancestors: object[]): Record<string, unknown> {
  const out: Record<string, unknown> = { type: error.name, message: error.message };
  for (const [key, item] of Object.entries(error)) {
    if (SECRET_KEY.test(key) || key === 'name') continue;
    if (item === null || ['string', 'number', 'boolean'].includes(typeof item)) out[key] = item;
  }
  out['stack'] = error.stack;
  if (error.cause !== undefined) out['cause'] = plain(error.cause, depth + 1, ancestors);
  return out;
}
