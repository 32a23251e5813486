import type { CommsNotification } from '../model/graph.js';
import { normalizeChangeType, type ChangeType } from '../text/case.js';
import { parseResourcePath } from './resource-path.js';
import { isRecord } from '../model/json.js';
import { canonicalId } from '../model/ids.js';

/** A notification sorted by what it is about. */
export type RoutedNotification =
  | { kind: 'operation'; callId: string; operationId?: string; changeType: ChangeType; data: Record<string, unknown> }
  | { kind: 'roster'; callId: string; changeType: ChangeType; data: Array<Record<string, unknown>>; sequenceNumber?: number }
  | { kind: 'call'; callId: string; changeType: ChangeType; data: Record<string, unknown> }
  | { kind: 'unknown'; callId?: string };


const PARTICIPANT = /\.participant$/i;

const odataType = (value: unknown): string =>
  isRecord(value) && typeof value['@odata.type'] === 'string' ? value['@odata.type'].toLowerCase() : '';

/**
 * Routes by the resource path first and by the `@odata.type` of `resourceData` where the path
 * is odd: seed 001 delivers a roster on `.../operations/participants`.
 */
export function routeNotification(notification: CommsNotification): RoutedNotification {
  const path = parseResourcePath(notification.resourceUrl || notification.resource || '');
  const changeType = normalizeChangeType(notification.changeType);
  if (!path || !path.callId || !changeType) return { kind: 'unknown', callId: path?.callId };
  const callId = canonicalId(path.callId);
  const data = notification.resourceData;

  if (Array.isArray(data)) {
    // A roster: every item a participant (typed as one, or untyped on a participants path).
    let typed = false;
    for (const item of data) {
      if (!isRecord(item)) return { kind: 'unknown', callId };
      const type = item['@odata.type'];
      if (type === undefined || type === null || type === '') continue;
      if (typeof type !== 'string' || !PARTICIPANT.test(type)) return { kind: 'unknown', callId };
      typed = true;
    }
    if (typed || path.kind === 'participants') return { kind: 'roster', callId, changeType, data: data as Array<Record<string, unknown>> };
    return { kind: 'unknown', callId };
  }
  if (!isRecord(data)) {
    // A call deleted without its resource still ended.
    if (path.kind === 'call' && changeType === 'deleted') return { kind: 'call', callId, changeType, data: {} };
    return { kind: 'unknown', callId };
  }
  const type = odataType(data);
  // Beta delta rosters: the participants changed since the last update, numbered.
  if (type.endsWith('.deltaparticipants') || (type === '' && Array.isArray(data['participants']) && typeof data['sequenceNumber'] === 'number')) {
    const participants = Array.isArray(data['participants']) ? data['participants'].filter(isRecord) : [];
    const sequenceNumber = Number(data['sequenceNumber']);
    return Number.isFinite(sequenceNumber)
      ? { kind: 'roster', callId, changeType, data: participants, sequenceNumber }
      : { kind: 'roster', callId, changeType, data: participants };
  }
  if (type.endsWith('.participant') || (path.kind === 'participants' && path.participantId && type === '')) {
    return { kind: 'roster', callId, changeType, data: [data] };
  }
  if (type.endsWith('operation') || (path.kind === 'operation' && type === '')) {
    return path.kind === 'operation' && path.operationId
      ? { kind: 'operation', callId, operationId: path.operationId, changeType, data }
      : { kind: 'operation', callId, changeType, data };
  }
  if (type.endsWith('.call') || (path.kind === 'call' && type === '')) return { kind: 'call', callId, changeType, data };
  return { kind: 'unknown', callId };
}
