import { badRequest } from '../http/errors.js';
import { MAX_CLIENT_CONTEXT } from '../invite/validate.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../types.js';

/**
 * The body of an action as an object: no body (or an empty one) is `{}`;
 * anything but an object is a 400. A `null` member counts as absent, as
 * Graph's SDKs send unset properties as null.
 */
export function bodyObject(body: unknown): JsonObject {
  if (body === undefined) return {};
  if (!isJsonObject(body)) throw badRequest('The request body must be a JSON object.');
  return body;
}

/** The optional `clientContext`: a string of at most 256 characters. */
export function clientContextOf(body: JsonObject): string | null {
  const value = present(body, 'clientContext');
  if (value === undefined) return null;
  if (typeof value !== 'string') throw badRequest('clientContext must be a string.');
  if (value.length > MAX_CLIENT_CONTEXT) throw badRequest(`clientContext is longer than ${MAX_CLIENT_CONTEXT} characters.`);
  return value;
}

/** An optional boolean member. */
export function optionalBoolean(body: JsonObject, key: string): boolean | undefined {
  const value = present(body, key);
  if (value !== undefined && typeof value !== 'boolean') throw badRequest(`${key} must be a boolean.`);
  return value;
}

/** An optional integer member within `min`..`max`. */
export function optionalInteger(body: JsonObject, key: string, min: number, max: number): number | undefined {
  const value = present(body, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw badRequest(`${key} must be an integer.`);
  if (value < min || value > max) throw badRequest(`${key} must be between ${min} and ${max}.`);
  return value;
}

/** A required string member that is one of `allowed`. */
export function requiredEnum<T extends string>(body: JsonObject, key: string, allowed: readonly T[]): T {
  const value = present(body, key);
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw badRequest(`${key} is required and must be one of: ${allowed.join(', ')}.`);
  }
  return value as T;
}

/** A required, non-empty collection whose items are each one of `allowed`; `missing` is the 400's message when it is absent or empty. */
export function requiredEnums<T extends string>(body: JsonObject, key: string, allowed: readonly T[], missing: string): T[] {
  const value = present(body, key);
  if (!Array.isArray(value) || value.length === 0) throw badRequest(missing);
  return value.map((item, i) => {
    if (typeof item !== 'string' || !(allowed as readonly string[]).includes(item)) {
      throw badRequest(`${key}[${i}] must be one of: ${allowed.join(', ')}.`);
    }
    return item as T;
  });
}

/** An optional array of strings. */
export function optionalStrings(body: JsonObject, key: string): string[] | undefined {
  const value = present(body, key);
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw badRequest(`${key} must be a collection of strings.`);
  return value as string[];
}

/** A member, with `null` read as absent. */
export function present(body: JsonObject, key: string): JsonValue | undefined {
  const value = body[key];
  return value === null ? undefined : value;
}
