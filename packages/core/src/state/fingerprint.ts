import { hash } from 'node:crypto';
import type { CommsNotification } from '../model/graph.js';
import type { RoutedNotification } from '../notifications/classify.js';

/** Identifies a delivery: a repeated one has the same fingerprint. */
export const fingerprint = (notification: CommsNotification): string => hash('sha1', JSON.stringify(notification), 'base64');

/**
 * Whether a repeat of this notification must be recognised by its fingerprint: only an operation
 * with neither id nor clientContext, which nothing else could tell from a new anonymous one.
 * Everything else is a repeat when applying it changes nothing now: final operations absorb,
 * calls and rosters compare content, and sequence numbers, where Graph sends them, tell a late
 * roster change from a new one. A fingerprint would take a legitimate return to an earlier
 * state (unmuted, muted, unmuted again) for a repeat.
 */
export function needsFingerprint(routed: Exclude<RoutedNotification, { kind: 'unknown' }>): boolean {
  return routed.kind === 'operation' && !routed.operationId && !routed.data['id'] && !routed.data['clientContext'];
}
