import { isJsonObject, type CommsNotifications, type JsonObject } from '../types.js';

/** Change types Graph documents (delivered in lower case unless a fault capitalises them). */
export type ChangeType = 'created' | 'updated' | 'deleted';

/** What one notification is about. */
export interface NotificationSpec {
  changeType: ChangeType;
  callId: string;
  /** Path below the call: `''` for the call, `/participants`, `/operations/{id}`. */
  subPath: string;
  resourceData: JsonObject | JsonObject[];
  /**
   * Write `resource` with the `/communications/...` path instead of the old
   * `/app/...` path (seed 001 example 2 does so for its null-id operation).
   */
  communicationsResource?: boolean;
}

/** One commsNotifications body holding one notification, shaped like the invite page's examples. */
export function commsNotifications(spec: NotificationSpec): CommsNotifications {
  const resourceUrl = `/communications/calls/${spec.callId}${spec.subPath}`;
  return {
    '@odata.type': '#microsoft.graph.commsNotifications',
    value: [
      {
        '@odata.type': '#microsoft.graph.commsNotification',
        changeType: spec.changeType,
        resource: spec.communicationsResource === true ? resourceUrl : `/app/calls/${spec.callId}${spec.subPath}`,
        resourceUrl,
        resourceData: structuredClone(spec.resourceData),
      },
    ],
  };
}

/**
 * The same body with PascalCase change types and values (`Updated`,
 * `Completed`, `Established`, endpointType `Default`), as live deliveries
 * have been seen to carry.
 */
export function pascalCased(body: CommsNotifications): CommsNotifications {
  const copy = structuredClone(body);
  for (const notification of copy.value) {
    notification.changeType = capitalise(notification.changeType);
    const data = notification.resourceData;
    const items = Array.isArray(data) ? data : [data];
    for (const item of items) {
      for (const key of ['status', 'state'] as const) {
        const value = item[key];
        if (typeof value === 'string') item[key] = capitalise(value);
      }
      const info = item.info;
      if (isJsonObject(info) && typeof info.endpointType === 'string') info.endpointType = capitalise(info.endpointType);
    }
  }
  return copy;
}

function capitalise(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
