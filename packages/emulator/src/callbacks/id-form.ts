import type { CommsNotifications, JsonObject } from '../types.js';

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** A GUID in the other form Graph writes: `57DAB8B1894C409AB240BD8BEAE78896`. */
export function compactGuid(guid: string): string {
  return guid.replaceAll('-', '').toUpperCase();
}

function compactAll(text: string): string {
  return text.replace(GUID, compactGuid);
}

/**
 * The same body with call and operation GUIDs in the other form: in `resource`,
 * `resourceUrl`, and the `id` / `@odata.id` of an object `resourceData` (a call or
 * an operation). Roster arrays keep their participant ids, as the pages show.
 */
export function otherIdForm(body: CommsNotifications): CommsNotifications {
  const copy = structuredClone(body);
  for (const notification of copy.value) {
    notification.resource = compactAll(notification.resource);
    notification.resourceUrl = compactAll(notification.resourceUrl);
    const data = notification.resourceData;
    if (!Array.isArray(data)) compactIds(data);
  }
  return copy;
}

function compactIds(data: JsonObject): void {
  if (typeof data.id === 'string' && new RegExp(`^${GUID.source}$`, 'i').test(data.id)) data.id = compactGuid(data.id);
  const odataId = data['@odata.id'];
  if (typeof odataId === 'string') data['@odata.id'] = compactAll(odataId);
}
