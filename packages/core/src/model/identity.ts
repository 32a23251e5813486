import { IDENTITY_KINDS, type IdentityKind, type IdentitySet } from './graph.js';
import { isRecord } from './json.js';

/** A phone number as Graph takes it: E.164, `+` and 1 to 15 digits. */
export const isE164 = (id: unknown): boolean => typeof id === 'string' && /^\+\d{1,15}$/.test(id);

/** The identity kinds that are bots. */
export const BOT_IDENTITY_KINDS: readonly IdentityKind[] = ['application', 'applicationInstance'];

/**
 * One identity as the bot sends it (in an invitee, a target, a source): the fields of Graph's
 * identity types (communicationsUserIdentity, communicationsApplicationIdentity...), and no
 * others, so that a typo fails to compile. What Graph sends back stays the open `Identity`.
 * A type rather than an interface, so that it is also an `Identity`.
 */
export type IdentityInput = {
  /** Graph's type annotation (`#microsoft.graph.identity`...); optional. */
  '@odata.type'?: string;
  /** The identity's id: an Entra object id, an app id, a phone number in E.164... */
  id?: string | null;
  /** A display name, for people. */
  displayName?: string | null;
  /** The Entra tenant the identity belongs to. */
  tenantId?: string | null;
  /** Who issued the identity, when it matters. */
  identityProvider?: string | null;
  /** communicationsApplicationIdentity: the first-party application presenting it. */
  applicationType?: string | null;
  /** Applications and application instances: kept out of the other participants' rosters. */
  hidden?: boolean | null;
  /** azureCommunicationServicesUserIdentity. */
  azureCommunicationServicesResourceId?: string | null;
};

/** An identitySet as the bot sends it: one identity per kind, `assertedIdentity` and `endpointType`; nothing else. */
export type IdentitySetInput = { [K in IdentityKind]?: IdentityInput | null } & {
  /** Graph's type annotation (`#microsoft.graph.identitySet`...); optional. */
  '@odata.type'?: string;
  /** The identity the participant presents itself as to the others. */
  assertedIdentity?: IdentityInput | null;
  /** The kind of endpoint, on a communicationsIdentitySet. */
  endpointType?: 'default' | 'voicemail' | 'skypeForBusiness' | 'skypeForBusinessVoipPhone' | 'unknownFutureValue' | null;
};

/** One identity named in an identitySet. */
export interface NamedIdentity {
  /** The identity kind: `user`, `application`, `phone`... */
  kind: string;
  /** The identity's id. */
  id: string;
}


/**
 * The identities an identitySet names: each kind whose value carries a non-empty `id`.
 * Kinds beyond the documented ones count too, so a new identity type still correlates.
 */
export function namedIdentities(set: IdentitySet | null | undefined): NamedIdentity[] {
  if (!isRecord(set)) return [];
  const out: NamedIdentity[] = [];
  for (const [kind, value] of Object.entries(set)) {
    if (kind.startsWith('@') || !isRecord(value)) continue;
    const id = value['id'];
    if (typeof id === 'string' && id.length > 0) out.push({ kind, id });
  }
  // Documented kinds first, so the key of a set does not depend on its field order.
  return out.sort((a, b) => rank(a.kind) - rank(b.kind));
}

const rank = (kind: string): number => {
  const index = (IDENTITY_KINDS as readonly string[]).indexOf(kind);
  return index === -1 ? IDENTITY_KINDS.length : index;
};

/** The key of one named identity, `<kind>:<id>`: ids are GUIDs, compared without case. */
export const namedKey = (named: NamedIdentity): string => `${named.kind}:${named.id.toLowerCase()}`;

/** A stable key for an identitySet (`user:<id>`), or undefined when it names no identity. */
export function identityKey(set: IdentitySet | null | undefined): string | undefined {
  const first = namedIdentities(set)[0];
  return first ? namedKey(first) : undefined;
}

/**
 * Whether two identitySets name the same party. Ids are compared without case (GUIDs);
 * a matching id under another kind also counts, because Graph's own examples report an
 * invited user back as an `application` with the same id.
 */
export function sameIdentity(a: IdentitySet | null | undefined, b: IdentitySet | null | undefined): boolean {
  const left = namedIdentities(a);
  const right = namedIdentities(b);
  return left.some((l) => right.some((r) => l.id.toLowerCase() === r.id.toLowerCase()));
}
