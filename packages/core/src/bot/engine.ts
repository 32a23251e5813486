import { StoreError } from '../errors.js';
import type { CallingBotEventPayloads, ErrorContext, JoinedParticipant, OperationCompletedEvent, OperationFailedEvent } from '../events/event-map.js';
import { canonicalId } from '../model/ids.js';
import { contextKey, emptyCallRecord, isFinal, operationAt, type CallRecord, type OperationRecord, type TransferRecord } from '../state/call-record.js';
import type { Effect, Step, StepEnv } from '../state/effects.js';
import { timeOutOperation } from '../state/operations.js';
import { timeOutTransfer, type TransferOutcome } from '../state/transfer.js';
import type { Call } from '../model/graph.js';
import { transferKey, type TransferWaits } from './transfer-waits.js';
import { markReplaced } from '../state/replacement.js';
import type { CallStore } from '../store/call-store.js';
import { outcomeOf, type OperationRegistry } from './operation-registry.js';
import type { OperationTimers } from './operation-timers.js';
import { operationDeadlineKey, parseDeadlineKey, transferDeadlineKey, type Deadlines } from './deadlines.js';
import { withOutbox, withoutEntries, type OutboxStep, type OutboxWriter } from '../state/outbox.js';
import { NO_TELEMETRY, type Telemetry } from '../telemetry/telemetry.js';

/** A timeout whose write failed is tried again this much later, this many times. */
const RETRY_MS = 1000;
const TIMEOUT_RETRIES = 5;

/** An error thrown by a state machine step, carried through the store. */
class StepFailure extends Error {
  constructor(readonly error: unknown) {
    super('a state machine step failed', { cause: error });
  }
}

/** Where the engine sends events and errors. */
export interface EventSink {
  emit<K extends keyof CallingBotEventPayloads>(name: K, payload: CallingBotEventPayloads[K]): void;
  error(error: unknown, context: ErrorContext): void;
}

/** What the bot does when a call is offered, established or ended. */
export interface LifecycleHooks {
  /** A call was offered: tell the listeners (after the callback is acknowledged) and watch the 15 s. */
  incoming(callId: string, call: Call, receivedAt: number, eventId: string): void;
  /** Starts or stops the call's keepAlive schedule (part of the notification's acknowledgement). */
  keepAlive(callId: string, running: boolean): void | Promise<void>;
  /** A call's keepAlive deadline came due (claimed until `claimedUntil`). */
  keepAliveDue(callId: string, claimedUntil: number): Promise<void>;
}

/**
 * Commits state machine steps to the store and turns their effects into events, completions,
 * timers and follow-up steps on other calls. Calls are kept under the canonical form of their id.
 */
export class Engine {
  /** Set by the bot once its parts exist. */
  lifecycle: LifecycleHooks | undefined;
  /** Set by the bot once its parts exist. */
  deadlines!: Deadlines;
  /** Set by the bot: where metrics and traces go. */
  telemetry: Telemetry = NO_TELEMETRY;
  readonly #writer: OutboxWriter;
  readonly #outbox: boolean;
  #batches = 0;
  // Outbox entries being marked emitted: not awaited by the commits, but by `close()`.
  readonly #marking = new Set<Promise<void>>();
  // Entries this process is emitting: never taken over by its own later commits or sweeps, however
  // long their emission takes (other processes may, once the lease ended: at least once).
  readonly #emitting = new Set<string>();
  // Commits under way, so that `close()` lets them finish before the store goes.
  #active = 0;
  readonly #idle: Array<() => void> = [];
  /** Set by `close()`: commits still finishing arm no more timers here (their deadlines stay in the store). */
  closing = false;

  constructor(
    readonly store: CallStore,
    readonly registry: OperationRegistry,
    readonly timers: OperationTimers,
    readonly sink: EventSink,
    readonly env: () => StepEnv,
    readonly transfers: TransferWaits,
    outbox: { owner: string; leaseMs: number },
  ) {
    this.#writer = { owner: outbox.owner, leaseMs: outbox.leaseMs, newId: () => this.newBatchId(), busy: (id) => this.#emitting.has(id) };
    this.#outbox = store.outlivesProcess !== false;
  }

  /**
   * Commits one step on one call, its effects in the call's outbox in the same write, then acts
   * on them and marks them emitted. Rejects with StoreError when the store fails.
   */
  commit<T>(callId: string, step: (record: CallRecord | undefined, env: StepEnv) => Step<T>): Promise<T> {
    // Plain promise chains rather than async functions: this runs once per notification, and
    // each async activation allocates; fewer young objects means fewer scavenges.
    const env = this.env();
    const id = canonicalId(callId);
    // A store runs the step until a run commits, and commits no run after a later one: the last
    // run is the committed one, whatever object the store resolves with.
    let last: Step<T> | undefined;
    let written: Promise<Step<T>>;
    this.#active += 1;
    try {
      written = this.store.updateCall(id, (record) => {
        let result: Step<T>;
        try {
          result = step(record, env);
        } catch (error) {
          throw new StepFailure(error);
        }
        // The lease counts from the write, not from when the commit started waiting its turn.
        last = this.#outbox ? withOutbox(record, result, Date.now(), this.#writer) : result;
        return last;
      });
    } catch (cause) {
      this.#settled();
      return Promise.reject(this.#failure(cause, callId));
    }
    return written.then(
      (committed) => {
        const run = (last ?? committed) as OutboxStep<T>;
        let acting: void | Promise<void>;
        try {
          acting = this.#emitCommitted(id, run);
        } catch (error) {
          this.#settled();
          throw error;
        }
        if (!acting) {
          this.#settled();
          return run.value;
        }
        return acting.then(
          () => {
            this.#settled();
            return run.value;
          },
          (error: unknown) => {
            this.#settled();
            throw error;
          },
        );
      },
      (cause: unknown) => {
        this.#settled();
        throw this.#failure(cause, callId);
      },
    );
  }

  #settled(): void {
    this.#active -= 1;
    if (this.#active === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /** Resolves once no commit is under way, or after `timeoutMs` (a store that never answers). */
  quiesce(timeoutMs: number): Promise<void> {
    if (this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      timer.unref();
      this.#idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  // What a repeat told goes out at once; then each entry, oldest first, and once all of them
  // are out, they are marked emitted without holding up the acknowledgement.
  #emitCommitted(callId: string, committed: OutboxStep<unknown>): void | Promise<void> {
    // Without an outbox (or from a store that resolves with a copy of the step): the effects as they are.
    if (committed.emitting === undefined) return committed.effects.length > 0 ? this.apply(committed.effects, this.newBatchId()) : undefined;
    const emitting = committed.emitting;
    const direct = committed.direct;
    let acting = direct.length > 0 ? this.apply(direct, this.newBatchId()) : undefined;
    if (emitting.length === 0) return acting;
    for (const entry of emitting) this.#emitting.add(entry.id);
    for (const entry of emitting) {
      acting = acting ? acting.then(() => this.apply(entry.effects, entry.id)) : this.apply(entry.effects, entry.id);
    }
    const ids = emitting.map((entry) => entry.id);
    if (!acting) return this.#markEmitted(callId, ids);
    return acting.then(
      () => this.#markEmitted(callId, ids),
      (error: unknown) => {
        // Not all of it went out: left to whoever takes the entries over after the lease.
        for (const id of ids) this.#emitting.delete(id);
        throw error;
      },
    );
  }

  #markEmitted(callId: string, ids: string[]): void {
    // Left in the outbox on failure: another process emits those events again once the lease
    // ends. The fallback's commit reports its own failure.
    const marking = (
      this.store.markEmitted
        ? this.store.markEmitted(callId, ids).catch((error: unknown) => this.sink.error(error, { source: 'store', callId }))
        : this.commit(callId, (record) => withoutEntries(record, ids)).catch(() => undefined)
    ).then(() => {
      for (const id of ids) this.#emitting.delete(id);
    });
    this.#marking.add(marking);
    void marking.finally(() => this.#marking.delete(marking));
  }

  /** The stale-outbox sweep found a call whose writer may have died: take its entries over. */
  async sweepOutbox(callId: string): Promise<void> {
    const emitted = await this.commit(callId, (record) => ({ record, effects: [], value: (record?.outbox ?? []).length }));
    // Nothing was left to take over: the store may drop the call from its index.
    if (emitted === 0) await this.store.markEmitted?.(canonicalId(callId), []);
  }

  /**
   * A new id for a batch of effects (an outbox entry, or what a step told without one): this
   * process's random id and a counter, unique across processes and restarts without a random
   * draw per notification.
   */
  newBatchId(): string {
    this.#batches += 1;
    return `${this.#writer.owner}.${this.#batches.toString(36)}`;
  }

  /** Waits for the entries being marked emitted (bounded by the store's own timeouts). */
  async drain(): Promise<void> {
    await Promise.all([...this.#marking]);
  }

  // A step that threw is not the store's fault: redelivering the same body would fail again, so
  // it is not answered 503 but 500, with the step's own error.
  #failure(cause: unknown, callId: string): unknown {
    const step = cause instanceof StepFailure ? cause : (cause as { cause?: unknown } | undefined)?.cause;
    if (step instanceof StepFailure) {
      this.sink.error(step.error, { source: 'internal', callId });
      return step.error;
    }
    return this.#storeFailure(cause, callId);
  }

  /**
   * Acts on effects in order; a promise only when one of them has to wait (store calls,
   * follow-ups). The events they tell get ids `<batch>:<index>`.
   */
  apply(effects: readonly Effect[], batch: string, from = 0): void | Promise<void> {
    for (let i = from; i < effects.length; i += 1) {
      const pending = this.#applyOne(effects[i]!, `${batch}:${i}`);
      if (pending) return pending.then(() => this.apply(effects, batch, i + 1));
    }
  }

  #storeFailure(cause: unknown, callId: string): StoreError {
    const error = cause instanceof StoreError ? cause : new StoreError(`the call store could not record a change of call ${callId}`, { cause });
    this.sink.error(error, { source: 'store', callId });
    return error;
  }

  #applyOne(effect: Effect, eventId: string): void | Promise<void> {
    switch (effect.type) {
      case 'emit':
        return this.sink.emit(effect.name, { ...effect.payload, eventId } as never);
      case 'operationPending':
        return this.watch(effect.callId, effect.operation);
      case 'transferPending':
        return this.watchTransfer(effect.callId, effect.transfer);
      case 'operationFinished':
        return this.#finished(effect.callId, effect.operation, eventId);
      case 'rosterUpdated': {
        const joined: JoinedParticipant[] = [];
        for (const j of effect.joined) {
          const invitation = this.#describe(effect.change.callId, j.operation);
          if (invitation?.kind === 'invite') joined.push({ participant: j.participant, invitation: invitation as JoinedParticipant['invitation'] });
        }
        return this.sink.emit('rosterUpdated', { ...effect.change, joined, eventId });
      }
      case 'participantMoved': {
        const invitation = this.#describe(effect.move.callId, effect.operation);
        return this.sink.emit('participantMoved', invitation ? { ...effect.move, invitation: invitation as JoinedParticipant['invitation'], eventId } : { ...effect.move, eventId });
      }
      case 'incomingCall':
        return this.lifecycle?.incoming(effect.callId, effect.call, effect.receivedAt, eventId);
      case 'keepAlive':
        return this.lifecycle?.keepAlive(effect.callId, effect.running);
      case 'transferFinished':
        return this.#transferred(effect.callId, effect.token, effect.outcome);
      case 'markReplaced': {
        const { callId, replacement } = effect;
        // Part of the notification's acknowledgement: if it fails, Graph delivers the outcome
        // again, and its repeat marks the replaced call again (the step is idempotent).
        return this.commit(callId, (record, env) => ({ ...markReplaced(record ?? emptyCallRecord(callId, env.now), replacement, env), value: undefined }));
      }
    }
  }

  // A rebuilt pending operation is awaited from now on: its wait is bounded by its deadline.
  #describe(callId: string, op: OperationRecord) {
    return this.registry.describe(callId, op, () => this.watch(callId, op));
  }

  /**
   * Sets the timeout of a pending operation: in the store (so that another process fires it if
   * this one is gone) and on a timer here. Resolves once the store has it.
   */
  watch(callId: string, op: OperationRecord): Promise<void> | undefined {
    const { deadline } = op;
    if (deadline === undefined) return undefined;
    // One key string for the timer here and the deadline in the store: a pending operation holds it once.
    const durable = operationDeadlineKey(callId, op.key);
    // The timer holds the clientContext (a string the record shares), not the record of now: a
    // pending operation's record is replaced as Graph answers, and the old one would live on here.
    const { key, clientContext } = op;
    if (!this.closing) this.timers.schedule(durable, deadline, () => void this.#timeOut(callId, key, clientContext));
    return this.deadlines.schedule(durable, deadline).catch((error: unknown) => this.sink.error(error, { source: 'store', callId }));
  }

  /** Sets the timeout of a pending transfer, as {@link watch} does. */
  watchTransfer(callId: string, transfer: TransferRecord): Promise<void> {
    const durable = transferDeadlineKey(callId, transfer.token);
    if (!this.closing) this.timers.schedule(durable, transfer.deadline, () => void this.#timeOutTransfer(callId, transfer.token));
    return this.deadlines.schedule(durable, transfer.deadline).catch((error: unknown) => this.sink.error(error, { source: 'store', callId }));
  }

  /** A deadline kept in the store came due, maybe one set by a process that is gone. */
  async deadlineDue(key: string, claimedUntil: number): Promise<void> {
    const deadline = parseDeadlineKey(key);
    if (!deadline) return this.deadlines.cancel(key); // not one of ours: never fires again
    const { kind, callId, what } = deadline;
    if (kind === 'ka') return this.lifecycle?.keepAliveDue(callId, claimedUntil);
    if (kind === 'op') await this.#timeOut(callId, what, undefined, claimedUntil);
    else await this.#timeOutTransfer(callId, what, claimedUntil);
  }

  // Fired here (timer) or by whichever process claimed the deadline. Timing out is a state
  // change like any other: if two processes fire it, the second finds the operation final.
  async #timeOut(callId: string, key: string, clientContext?: string | null, claimedUntil?: number, attempt = 0): Promise<void> {
    const durable = operationDeadlineKey(callId, key);
    try {
      const seen = await this.commit(callId, (record, env) => {
        if (!record) return { record, effects: [], value: undefined };
        return { ...timeOutOperation(record, key, env), value: operationAt(record, key) };
      });
      if (clientContext) this.#settleUnheard(callId, clientContext, seen);
      await this.deadlines.cancel(durable, claimedUntil).catch(() => undefined);
    } catch (error) {
      // A step that throws would throw at every retry: the deadline goes (reported on `error`).
      if (!(error instanceof StoreError)) return void this.deadlines.cancel(durable).catch(() => undefined);
      // The store failed (reported on `error`): try again a little later, and in the end settle
      // what this process awaits from what it knows, so that no completion hangs. A deadline
      // claimed from the store comes due again by itself.
      if (claimedUntil !== undefined || this.closing) return;
      if (attempt < TIMEOUT_RETRIES) {
        this.timers.schedule(durable, Date.now() + RETRY_MS, () => void this.#timeOut(callId, key, clientContext, undefined, attempt + 1));
      } else if (clientContext) this.registry.resolveRemote(callId, clientContext, { status: 'timedOut' });
    }
  }

  async #timeOutTransfer(callId: string, token: string, claimedUntil?: number, attempt = 0): Promise<void> {
    const durable = transferDeadlineKey(callId, token);
    try {
      const left = await this.commit(callId, (record, env) => ({ ...(record ? timeOutTransfer(record, token, env) : { record, effects: [] }), value: record?.transfer }));
      // The record lost the transfer (evicted, or a store restarted empty): time it out here.
      if (left?.token !== token) this.transfers.resolve(callId, token, { status: 'timedOut' });
      await this.deadlines.cancel(durable, claimedUntil).catch(() => undefined);
    } catch (error) {
      if (!(error instanceof StoreError)) return void this.deadlines.cancel(durable).catch(() => undefined);
      if (claimedUntil !== undefined || this.closing) return;
      if (attempt < TIMEOUT_RETRIES) {
        this.timers.schedule(durable, Date.now() + RETRY_MS, () => void this.#timeOutTransfer(callId, token, undefined, attempt + 1));
      } else this.transfers.resolve(callId, token, { status: 'timedOut' });
    }
  }

  async #transferred(callId: string, token: string, outcome: TransferOutcome): Promise<void> {
    this.unwatch(callId, transferKey(token));
    // The process that requested it may be another one.
    if (!this.transfers.resolve(callId, token, outcome) && this.store.publishOutcome) {
      await this.store.publishOutcome(callId, token, outcome).catch((e: unknown) => this.sink.error(e, { source: 'store', callId }));
    }
  }

  /** Cancels the timeout of an operation (key `c:`/`i:`) or a transfer (`t:`) that will not be answered. */
  unwatch(callId: string, key: string): void {
    const durable = key.startsWith('t:') ? transferDeadlineKey(callId, key.slice(2)) : operationDeadlineKey(callId, key);
    this.timers.cancel(durable);
    // Not awaited: a deadline left behind fires once, finds nothing pending, and goes.
    this.deadlines.cancel(durable).catch(() => undefined);
  }

  // The timeout found the operation final already (another process finished it and its news
  // never came), or gone from the store: settle what this process awaits from what it knows.
  #settleUnheard(callId: string, clientContext: string, seen: OperationRecord | undefined): void {
    if (!this.registry.holds(callId, clientContext)) return;
    if (seen && isFinal(seen.status)) this.registry.settle(callId, seen);
    else if (!seen) this.registry.resolveRemote(callId, clientContext, { status: 'timedOut' });
  }

  async #finished(callId: string, op: OperationRecord, eventId: string): Promise<void> {
    this.unwatch(callId, op.key);
    // The record may have lost that the bot sent it (evicted, or a store restarted empty): what
    // this process awaits is settled from its own registry all the same.
    const awaited = this.registry.holds(callId, op.clientContext);
    const shared = (op.sent || awaited) && op.clientContext ? op.clientContext : undefined;
    // Freed before the completion resolves: whoever awaits it may reuse the clientContext at once.
    if (shared) await this.store.releaseClientContext(shared, canonicalId(callId)).catch((e: unknown) => this.sink.error(e, { source: 'store', callId }));
    const sent = this.registry.settle(callId, awaited && !op.sent ? { ...op, sent: true } : op);
    const base = { eventId, kind: sent?.kind ?? op.kind, callId, operationId: op.id, clientContext: op.clientContext, operation: op.operation, ...(sent ? { sent } : {}), ...(sent?.kind === 'invite' ? { invitation: sent } : {}) };
    this.telemetry.operationFinished(base.kind, op.status);
    if (op.status === 'completed') this.sink.emit('operationCompleted', base as OperationCompletedEvent);
    else this.sink.emit('operationFailed', { ...base, reason: op.status === 'timedOut' ? 'timedOut' : 'failed', ...(op.resultInfo ? { resultInfo: op.resultInfo } : {}) } as OperationFailedEvent);
    // Other processes may await it: the one that sent it, or one whose event named it.
    const outcome = outcomeOf(op);
    if (shared && outcome && this.store.publishOutcome) {
      await this.store.publishOutcome(callId, shared, outcome).catch((e: unknown) => this.sink.error(e, { source: 'store', callId }));
    }
  }

  /**
   * Outcomes may have been missed (a shared store's notice of them was lost): the records say
   * which of the awaited operations are final. The store may need a moment to be back, hence
   * a few bounded tries; settling twice is harmless.
   */
  async recoverOutcomes(stopped: () => boolean): Promise<void> {
    for (let attempt = 0; attempt < 20 && !stopped(); attempt++) {
      try {
        for (const { callId, clientContext } of this.registry.awaitedOperations()) {
          const record = await this.store.getCall(canonicalId(callId));
          const op = record && operationAt(record, contextKey(clientContext));
          if (op && isFinal(op.status)) this.registry.settle(callId, op);
        }
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 250).unref());
      }
    }
  }
}
