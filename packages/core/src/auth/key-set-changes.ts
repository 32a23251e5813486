import type { JSONWebKeySet, JWK } from 'jose';

/**
 * Told the key ids that left the key set at a refresh. `undefined` stands for keys published
 * without a `kid`. A key id whose key material changed counts as removed: what it verified
 * before was verified with a key that is gone.
 */
export type KeysRemovedListener = (keyIds: ReadonlySet<string | undefined>) => void;

/** Follows the successive key sets a key source serves and reports the key ids each refresh removed. */
export class KeySetTracker {
  #known: Map<string | undefined, string> | undefined;
  readonly #listeners: KeysRemovedListener[] = [];

  onKeysRemoved(listener: KeysRemovedListener): void {
    this.#listeners.push(listener);
  }

  /** Takes the key set now in use. The first one only sets the baseline. */
  update(jwks: JSONWebKeySet): void {
    const next = materialByKeyId(jwks);
    const previous = this.#known;
    this.#known = next;
    if (!previous) return;
    const removed = new Set<string | undefined>();
    for (const [keyId, material] of previous) if (next.get(keyId) !== material) removed.add(keyId);
    if (removed.size > 0) for (const listener of this.#listeners) listener(removed);
  }
}

/** Key id → what its keys are made of (several keys may share one id, e.g. for different algorithms). */
function materialByKeyId(jwks: JSONWebKeySet): Map<string | undefined, string> {
  const grouped = new Map<string | undefined, string[]>();
  for (const jwk of Array.isArray(jwks.keys) ? jwks.keys : []) {
    const keyId = typeof jwk.kid === 'string' ? jwk.kid : undefined;
    grouped.set(keyId, [...(grouped.get(keyId) ?? []), material(jwk)]);
  }
  return new Map([...grouped].map(([keyId, materials]) => [keyId, materials.sort().join('\n')]));
}

/** The public key itself, whatever else (x5c, use, alg) the entry carries. */
const material = (jwk: JWK): string => JSON.stringify([jwk.kty, jwk.n, jwk.e, jwk.crv, jwk.x, jwk.y]);
