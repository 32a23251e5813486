import { isJsonObject, type IdentitySet, type JsonObject } from '../types.js';

/** Identity kinds that stand for a bot; Graph allows one bot per invite. */
const BOT_KINDS = new Set(['application', 'applicationInstance']);

/** Kinds whose identities Graph completes with the tenant id in its answers. */
const TENANT_KINDS = new Set(['user', 'application', 'applicationInstance']);

/** Kinds Graph lists (as null when absent) in the identity sets of an invite response. */
const RESPONSE_KINDS = ['user', 'guest', 'encrypted', 'onPremises', 'applicationInstance', 'application', 'device', 'phone'];

/** One named identity of an identity set. */
export interface IdentityEntry {
  kind: string;
  identity: JsonObject;
}

/** The identities an identity set names (kinds with an object value; `@odata.type`, `__proto__` and nulls skipped). */
export function identityEntries(set: IdentitySet): IdentityEntry[] {
  const entries: IdentityEntry[] = [];
  for (const [kind, value] of Object.entries(set)) {
    // `__proto__` (an own key of parsed JSON) names no identity kind, and assigning it would replace a prototype.
    if (kind.startsWith('@') || kind === '__proto__' || !isJsonObject(value)) continue;
    entries.push({ kind, identity: value });
  }
  return entries;
}

/** The identities that carry a usable id: an identity set without one names nobody. */
export function identifiedEntries(set: IdentitySet): IdentityEntry[] {
  return identityEntries(set).filter((e) => typeof e.identity.id === 'string' && e.identity.id.trim() !== '');
}

/** A key telling identities apart: `kind:id`, ids compared without case (GUIDs are). */
export function identityKeys(set: IdentitySet): string[] {
  return identifiedEntries(set).map((e) => `${e.kind}:${String(e.identity.id).toLowerCase()}`);
}

/** True when the set names a bot (an application or an application instance). */
export function isBot(set: IdentitySet): boolean {
  return identifiedEntries(set).some((e) => BOT_KINDS.has(e.kind));
}

/** The phone identity's id, when the set names a phone. */
export function phoneId(set: IdentitySet): string | undefined {
  const phone = identityEntries(set).find((e) => e.kind === 'phone');
  return typeof phone?.identity.id === 'string' ? phone.identity.id : undefined;
}

/**
 * The identity set as it appears in notifications: typed with `@odata.type`,
 * absent kinds left out, and the tenant added where Graph adds it.
 */
export function notificationIdentitySet(set: IdentitySet, tenantId: string): IdentitySet {
  const result: IdentitySet = { '@odata.type': '#microsoft.graph.identitySet' };
  for (const { kind, identity } of identityEntries(set)) {
    result[kind] = { '@odata.type': '#microsoft.graph.identity', ...withTenant(kind, identity, tenantId) };
  }
  return result;
}

/** The identity set as Graph echoes it in an invite response: the usual kinds listed, null when absent. */
export function responseIdentitySet(set: IdentitySet, tenantId: string): IdentitySet {
  const result: IdentitySet = {};
  for (const kind of RESPONSE_KINDS) result[kind] = null;
  for (const { kind, identity } of identityEntries(set)) result[kind] = withTenant(kind, identity, tenantId);
  return result;
}

function withTenant(kind: string, identity: JsonObject, tenantId: string): JsonObject {
  const copy = structuredClone(identity);
  delete copy['@odata.type'];
  if (TENANT_KINDS.has(kind) && (copy.tenantId === undefined || copy.tenantId === null)) copy.tenantId = tenantId;
  return copy;
}
