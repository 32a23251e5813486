import { hash } from 'node:crypto';
import type { CommsNotification } from '../model/graph.js';
import type { RoutedNotification } from '../notifications/classify.js';

/** Identifies a delivery: a repeated one has the same fingerprint. */
export const fingerprint = (notification: CommsNotification): string => hash('sha1', JSON.stringify(notification), 'base64');

/**
 * Whether a repeat of this notification could change state again, so that it must be recognised
 * by its fingerprint. Operations (final states absorb), calls (compared by content) and rosters
 * whose every entry carries a sequence number are idempotent by themselves; a roster without
 * sequence numbers is not: a late repeat of an older update would undo a newer one.
 */
export function needsFingerprint(routed: Exclude<RoutedNotification, { kind: 'unknown' }>): boolean {
  if (routed.kind === 'roster') return routed.sequenceNumber === undefined && routed.data.some((p) => typeof p['rosterSequenceNumber'] !== 'number');
  if (routed.kind === 'operation') return !routed.operationId && !routed.data['id'] && !routed.data['clientContext'];
  return false;
}
