import type { CallRecord } from '../state/call-record.js';
import type { Step } from '../state/effects.js';
import type { OperationOutcome } from '../operations/operation.js';

/** Hears the outcome of an operation that some process applied. */
export type OutcomeListener = (callId: string, clientContext: string, outcome: OperationOutcome) => void;

/**
 * How {@link CallStore.scheduleDeadline} treats a deadline that is set already: `set` replaces
 * it, `ifAbsent` keeps it, `ifLater` replaces it only with a later time. Each sets an absent one.
 */
export type DeadlineMode = 'set' | 'ifAbsent' | 'ifLater';

/**
 * Where the state machine keeps its state. Shaped for atomic steps so that several bot
 * processes can share one store: each call's record changes only through `updateCall`.
 * Records are plain JSON; a store that keeps them across versions passes what it reads through
 * `upgradeCallRecord`, where it parses them (as RedisCallStore does).
 *
 * A record's `outbox` holds the effects of committed steps until they are emitted: a store
 * keeps it with the record and writes both in the same atomic write. `@graph-comms/core/testing`
 * has the conformance suite every store should pass; docs/writing-a-store.md says what each
 * method must guarantee, and why.
 */
export interface CallStore {
  /**
   * Whether what the store holds outlives the process that wrote it (true for a store in
   * another process, such as Redis; the default when absent). `false` (MemoryCallStore) tells
   * the bot to keep no outbox: a process that dies takes such a store, and the events it was
   * about to emit, with it, so writing them down would cost every notification for nothing.
   */
  readonly outlivesProcess?: boolean;

  /**
   * Atomically replaces one call's record by what `step` returns from the current one
   * (`record: undefined`, or the very record given, writes nothing). A store may run `step`
   * more than once when another writer interfered; `step` is pure. Resolves with the step that
   * was committed. Rejects (with a `StoreError`) when the store cannot record it, and then
   * nothing of it may be applied.
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
   * Optional: removes emitted entries from a call's outbox (ids not there are ignored) without
   * counting as a change of the record, so that it never makes a concurrent `updateCall` run its
   * step again. Without it the bot removes them through `updateCall`. May also drop the call
   * from the stale-outbox index once no entry is left.
   */
  markEmitted?(callId: string, entryIds: readonly string[]): Promise<void>;

  /**
   * Optional, with an index of calls whose outbox has entries: up to `limit` calls holding an
   * entry whose lease ended by `now`, each left out of the next claims until `retryAt` (so that
   * one process sweeps each). The bot then takes the entries over through `updateCall`.
   * Without it, entries of a process that died are emitted when the call is next touched.
   */
  claimStaleOutboxes?(now: number, retryAt: number, limit: number): Promise<string[]>;

  /**
   * Optional, with `cancelDeadline`, `claimDeadline` and `claimDueDeadlines`: named deadlines
   * (operation and transfer timeouts, keepAlives) that every process sharing the store sees,
   * so that one that falls due while its process is gone fires in another. Without them the
   * bot keeps its deadlines in its own memory. Keys are opaque strings.
   */
  scheduleDeadline?(key: string, dueAt: number, mode?: DeadlineMode): Promise<void>;

  /** Removes a deadline; with `dueAt`, only while it is still due then (not moved by a claim or a schedule since). */
  cancelDeadline?(key: string, dueAt?: number): Promise<void>;

  /** Claims one deadline if it is due by `now`, moving it to `retryAt`; whether it did. */
  claimDeadline?(key: string, now: number, retryAt: number): Promise<boolean>;

  /**
   * Up to `limit` deadlines due by `now`, earliest first, each moved to `retryAt` in the same
   * atomic step: a due deadline goes to one process, however many claim, and comes due again
   * at `retryAt` unless the claimer cancels or reschedules it (so a claimer that dies loses nothing).
   */
  claimDueDeadlines?(now: number, retryAt: number, limit: number): Promise<string[]>;

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
}
