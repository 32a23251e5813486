import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

/** One RSA signing key: the private half signs callbacks, the public half is served in the key set. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/** A public key as served by the emulator's `jwks_uri`. */
export type PublicJwk = JWK & { kid: string; use: 'sig'; alg: 'RS256' };

/**
 * The emulator's signing keys. Like Microsoft's key set, it can hold several keys
 * at once: after a rotation the old key stays published (unless dropped), so
 * tokens signed just before the rotation still verify.
 */
export class KeyRing {
  private keys: SigningKey[];

  private constructor(first: SigningKey) {
    this.keys = [first];
  }

  /** Makes a key ring with one fresh key. */
  static async create(): Promise<KeyRing> {
    return new KeyRing(await makeKey());
  }

  /** The key new callbacks are signed with. */
  get current(): SigningKey {
    const key = this.keys[this.keys.length - 1];
    if (key === undefined) throw new Error('the key ring is empty');
    return key;
  }

  /** The key with this id, while it is still in the ring. */
  find(kid: string): SigningKey | undefined {
    return this.keys.find((key) => key.kid === kid);
  }

  /** Adds a new key and signs with it from now on; `dropOld` stops publishing the previous ones. */
  async rotate(dropOld = false): Promise<SigningKey> {
    const key = await makeKey();
    this.keys = dropOld ? [key] : [...this.keys, key];
    return key;
  }

  /** The JSON Web Key Set document: public keys only. */
  jwks(): { keys: PublicJwk[] } {
    return { keys: this.keys.map((key) => ({ ...key.publicJwk, kid: key.kid, use: 'sig', alg: 'RS256' })) };
  }
}

async function makeKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
  const publicJwk = await exportJWK(publicKey);
  return { kid: randomUUID().replaceAll('-', ''), privateKey, publicJwk };
}
