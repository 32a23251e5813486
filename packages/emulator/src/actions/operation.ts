import type { Notice } from '../callbacks/notifier.js';
import type { CallRecord, OperationRecord } from '../calls/registry.js';
import { resultInfoJson } from '../calls/resources.js';
import type { JsonObject, ResultInfo } from '../types.js';

/** Graph's resultInfo for an operation that completed normally (the playPrompt page's). */
export const ACTION_COMPLETED: ResultInfo = { code: 200, subcode: 0, message: 'Action completed successfully.' };

/** Graph's resultInfo for a playPrompt/recordResponse cancelled by cancelMediaProcessing. */
export const OPERATION_CANCELLED: ResultInfo = { code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' };

/**
 * The operation as an action's response carries it (the action pages):
 * type, id, status, clientContext, resultInfo, and the action's own fields.
 */
export function actionOperationResponse(op: OperationRecord, extra: JsonObject = {}): JsonObject {
  return {
    '@odata.type': op.type,
    ...extra,
    id: op.id,
    status: op.status,
    clientContext: op.clientContext,
    resultInfo: resultInfoJson(op.resultInfo),
    ...op.fields,
  };
}

/**
 * The `deleted` notification on `.../operations/{id}` that ends an operation,
 * with `resourceData` shaped like the pages' completion examples.
 */
export function completionNotice(call: CallRecord, op: OperationRecord): Notice {
  const path = `/communications/calls/${call.id}/operations/${op.id}`;
  return {
    kind: 'operation',
    call,
    changeType: 'deleted',
    subPath: `/operations/${op.id}`,
    resourceData: {
      '@odata.type': op.type,
      '@odata.id': path,
      id: op.id,
      clientContext: op.clientContext,
      status: op.status,
      resultInfo: resultInfoJson(op.resultInfo),
      ...structuredClone(op.fields),
    },
  };
}
