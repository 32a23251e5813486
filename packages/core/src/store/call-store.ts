import type { CallRecord } from '../state/call-record.js';
import type { Step } from '../state/effects.js';
import type { OperationOutcome } from '../operations/operation.js';

/** Hears the outcome of an operation that some process applied. */
export type OutcomeListener = (callId: string, clientContext: string, outcome: OperationOutcome) => void;

/**
 * Where the state machine keeps its state. Shaped for atomic steps so that several bot
 * processes can share one store: each call's record changes only through `updateCall`.
 * Records are plain JSON; a store that keeps them across versions passes what it reads through
 * `upgradeCallRecord`, where it parses them (as RedisCallStore does).
 */
export interface CallStore {
  /**
   * Atomically replaces one call's record by what `step` returns from the current one
   * (`record: undefined` writes nothing). A store may run `step` more than once when another
   * writer interfered; `step` is pure. Resolves with the step that was committed.
   * Rejects (with a `StoreError`) when the store cannot record it.
   */
  updateCall<T>(callId: string, step: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>>;

  /** The current record of a call. */
  getCall(callId: string): Promise<CallRecord | undefined>;

  /**
   * Claims a clientContext for a pending operation of `callId`; false when it is already
   * claimed. The claim lapses after `ttlMs` if never released.
   */
  reserveClientContext(clientContext: string, callId: string, ttlMs: number): Promise<boolean>;

  /**
   * Frees a clientContext once its operation is final or was refused. With `callId`, only a
   * claim for that call is freed, so a late release cannot free a newer claim.
   */
  releaseClientContext(clientContext: string, callId?: string): Promise<void>;

  /** Releases timers and connections. */
  close(): Promise<void>;

  /**
   * Optional, for stores shared by several processes: tells every process that an operation
   * reached its outcome, so that whichever process awaits it resolves its completion.
   */
  publishOutcome?(callId: string, clientContext: string, outcome: OperationOutcome): Promise<void>;

  /**
   * Optional: receives what `publishOutcome` sends, in every process (the sender included).
   * `onGap` is called when outcomes may have been missed (a subscription that was down came
   * back): the bot then reads the records of the operations it awaits.
   */
  subscribeOutcomes?(listener: OutcomeListener, onGap?: () => void): void;

  /**
   * Optional (the bot keeps its own schedule without it, in this process only): the keepAlive
   * schedule that every process sharing the store sees. Sets when a call's first keepAlive is
   * due, unless the call is on the schedule already (so that scheduling again is harmless).
   */
  scheduleKeepAlive?(callId: string, dueAt: number): Promise<void>;

  /** Optional, with `scheduleKeepAlive`: takes a call off the schedule. */
  cancelKeepAlive?(callId: string): Promise<void>;

  /**
   * Optional, with `scheduleKeepAlive`: up to `limit` calls whose keepAlive is due by `now`, each
   * moved to `nextDueAt` in the same atomic step, so that each due keepAlive goes to one process.
   */
  claimDueKeepAlives?(now: number, nextDueAt: number, limit: number): Promise<string[]>;
}
