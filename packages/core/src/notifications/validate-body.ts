import { NotificationFormatError } from '../errors.js';
import type { CommsNotification } from '../model/graph.js';
import { isRecord } from '../model/json.js';


/** How many notifications one callback may carry; Graph batches a handful at most. */
export const MAX_NOTIFICATIONS_PER_CALLBACK = 1000;

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

function checkNotification(item: unknown, index: number): void {
  const at = `value[${index}]`;
  if (!isRecord(item)) throw new NotificationFormatError(at, 'expected a notification object');
  if (typeof item['changeType'] !== 'string' || item['changeType'].length === 0) {
    throw new NotificationFormatError(`${at}.changeType`, 'expected a string');
  }
  const resource = item['resource'];
  const resourceUrl = item['resourceUrl'];
  const hasPath = (v: unknown): boolean => typeof v === 'string' && v.length > 0;
  if (!hasPath(resource) && !hasPath(resourceUrl)) {
    throw new NotificationFormatError(at, 'expected resourceUrl or resource');
  }
  for (const [field, v] of [['resource', resource], ['resourceUrl', resourceUrl]] as const) {
    if (v !== undefined && v !== null && typeof v !== 'string') throw new NotificationFormatError(`${at}.${field}`, 'expected a string');
  }
  const data = item['resourceData'];
  if (data !== undefined && data !== null && typeof data !== 'object') {
    throw new NotificationFormatError(`${at}.resourceData`, 'expected an object or an array');
  }
}
