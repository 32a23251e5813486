import { canonicalId } from '../model/ids.js';
import type { TransferOutcome } from '../state/transfer.js';

/** The timer key of a transfer. */
export const transferKey = (token: string): string => `t:${token}`;

/** The transfers this process requested and awaits, by call and token. */
export class TransferWaits {
  readonly #waiting = new Map<string, (outcome: TransferOutcome) => void>();

  create(callId: string, token: string): Promise<TransferOutcome> {
    return new Promise((resolve) => this.#waiting.set(keyOf(callId, token), resolve));
  }

  /** Settles a transfer this process awaits; whether it did. */
  resolve(callId: string, token: string, outcome: TransferOutcome): boolean {
    const key = keyOf(callId, token);
    const resolve = this.#waiting.get(key);
    this.#waiting.delete(key);
    resolve?.(outcome);
    return resolve !== undefined;
  }

  drop(callId: string, token: string): void {
    this.#waiting.delete(keyOf(callId, token));
  }
}

const keyOf = (callId: string, token: string): string => `${canonicalId(callId)}\n${token}`;
