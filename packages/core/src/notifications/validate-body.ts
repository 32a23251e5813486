import { NotificationFormatError } from '../errors.js';
import type { CommsNotification } from '../model/graph.js';
import { isRecord } from '../model/json.js';


/** How many notifications one callback may carry; Graph batches a handful at most. */
const MAX_NOTIFICATIONS_PER_CALLBACK = 1000;
/** How deep a notification's resourceData may nest: Graph's own go about 8 levels down. */
export const MAX_RESOURCE_DEPTH = 32;
/** How many values one resourceData may hold: a 600-participant meeting roster is about 50 000. */
export const MAX_RESOURCE_VALUES = 200_000;

/**
 * Checks that a callback body is a commsNotifications object and returns its notifications.
 * Everything is checked before anything is applied, so a bad body changes nothing.
 */
export function validateNotificationsBody(body: unknown): CommsNotification[] {
  if (!isRecord(body)) throw new NotificationFormatError('body', 'expected a commsNotifications object');
  const value = body['value'];
  if (!Array.isArray(value)) throw new NotificationFormatError('value', 'expected an array of notifications');
  if (value.length > MAX_NOTIFICATIONS_PER_CALLBACK) {
    throw new NotificationFormatError('value', `more than ${MAX_NOTIFICATIONS_PER_CALLBACK} notifications`);
  }
  value.forEach(checkNotification);
  return value as CommsNotification[];
}

// Runs for every notification: nothing is allocated unless something is wrong.
const hasPath = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
const stringOrAbsent = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
const at = (index: number, field = ''): string => `value[${index}]${field}`;

function checkNotification(item: unknown, index: number): void {
  if (!isRecord(item)) throw new NotificationFormatError(at(index), 'expected a notification object');
  if (typeof item['changeType'] !== 'string' || item['changeType'].length === 0) {
    throw new NotificationFormatError(at(index, '.changeType'), 'expected a string');
  }
  const resource = item['resource'];
  const resourceUrl = item['resourceUrl'];
  if (!hasPath(resource) && !hasPath(resourceUrl)) throw new NotificationFormatError(at(index), 'expected resourceUrl or resource');
  if (!stringOrAbsent(resource)) throw new NotificationFormatError(at(index, '.resource'), 'expected a string');
  if (!stringOrAbsent(resourceUrl)) throw new NotificationFormatError(at(index, '.resourceUrl'), 'expected a string');
  const data = item['resourceData'];
  if (data !== undefined && data !== null && typeof data !== 'object') {
    throw new NotificationFormatError(at(index, '.resourceData'), 'expected an object or an array');
  }
  // Steps walk what they are given (comparisons, copies, the store's serialisation): a body
  // nested thousands deep would fail on every redelivery. Refused here, once, with 400.
  if (data !== null && typeof data === 'object') {
    const left = budget(data, 0, MAX_RESOURCE_VALUES);
    if (left === TOO_DEEP) throw new NotificationFormatError(at(index, '.resourceData'), `nested deeper than ${MAX_RESOURCE_DEPTH} levels`);
    if (left < 0) throw new NotificationFormatError(at(index, '.resourceData'), `holds more than ${MAX_RESOURCE_VALUES} values`);
  }
}

const TOO_DEEP = -Infinity;

/** What is left of `left` values after walking `value`; TOO_DEEP or negative once a bound is passed. Recursion is bounded by the depth. */
function budget(value: object, depth: number, left: number): number {
  if (depth >= MAX_RESOURCE_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && left >= 0; i++) {
      const v: unknown = value[i];
      left = v !== null && typeof v === 'object' ? budget(v, depth + 1, left - 1) : left - 1;
    }
    return left;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (left < 0) break;
    const v = record[key];
    left = v !== null && typeof v === 'object' ? budget(v, depth + 1, left - 1) : left - 1;
  }
  return left;
}
