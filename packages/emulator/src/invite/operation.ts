import { notificationIdentitySet, responseIdentitySet } from '../calls/identity.js';
import type { OperationRecord } from '../calls/registry.js';
import { resultInfoJson } from '../calls/resources.js';
import type { JsonObject } from '../types.js';
import { identityOf } from './validate.js';

/** The invite's operation type. */
export const INVITE_OPERATION_TYPE = '#microsoft.graph.inviteParticipantsOperation';

/**
 * The operation as the invite response carries it (seed 001): status as
 * Graph writes it there (`Running`), participants echoed with `id: null` and
 * the usual identity kinds listed as null.
 */
export function operationResponse(op: OperationRecord, tenantId: string, status: string): JsonObject {
  return {
    '@odata.type': INVITE_OPERATION_TYPE,
    id: op.id,
    status,
    clientContext: op.clientContext,
    resultInfo: resultInfoJson(op.resultInfo),
    participants: op.participants.map((p) => {
      const { '@odata.type': _type, identity: _identity, endpointType, replacesCallId, ...rest } = p;
      return {
        endpointType: endpointType ?? null,
        id: null,
        replacesCallId: replacesCallId ?? null,
        ...rest,
        identity: responseIdentitySet(identityOf(p), tenantId),
      };
    }),
  };
}

/**
 * The operation as its final notification carries it (seed 001): typed
 * participants with their identities, the final status, the clientContext,
 * and a resultInfo when it failed.
 */
export function operationNotificationData(op: OperationRecord, tenantId: string, nullId: boolean): JsonObject {
  const data: JsonObject = {
    '@odata.type': INVITE_OPERATION_TYPE,
    participants: op.participants.map((p) => ({
      '@odata.type': '#microsoft.graph.invitationParticipantInfo',
      identity: notificationIdentitySet(identityOf(p), tenantId),
    })),
    status: op.status,
    clientContext: op.clientContext,
    id: nullId ? null : op.id,
  };
  if (op.resultInfo !== null) data.resultInfo = resultInfoJson(op.resultInfo);
  return data;
}
