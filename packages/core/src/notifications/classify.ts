import type { CommsNotification } from '../model/graph.js';
import { normalizeChangeType, type ChangeType } from '../text/case.js';
import { parseResourcePath } from './resource-path.js';
import { isRecord } from '../model/json.js';

/** A notification sorted by what it is about. */
export type RoutedNotification =
  | { kind: 'operation'; callId: string; operationId?: string; changeType: ChangeType; data: Record<string, unknown> }
  | { kind: 'roster'; callId: string; changeType: ChangeType; data: Array<Record<string, unknown>>; sequenceNumber?: number }
  | { kind: 'call'; callId: string; changeType: ChangeType; data: Record<string, unknown> }
  | { kind: 'unknown'; callId?: string };


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
  const { callId } = path;
  const data = notification.resourceData;

  if (Array.isArray(data)) {
    const items = data.filter(isRecord);
    const allParticipants = items.length === data.length && items.every((p) => odataType(p) === '' || odataType(p).endsWith('.participant'));
    if (allParticipants && (path.kind === 'participants' || items.some((p) => odataType(p).endsWith('.participant')))) {
      return { kind: 'roster', callId, changeType, data: items };
    }
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
