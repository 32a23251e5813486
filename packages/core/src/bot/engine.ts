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
  incoming(callId: string, call: Call, receivedAt: number): void;
  /** Starts or stops the call's keepAlive schedule (part of the notification's acknowledgement). */
  keepAlive(callId: string, running: boolean): void | Promise<void>;
}

/**
 * Commits state machine steps to the store and turns their effects into events, completions,
 * timers and follow-up steps on other calls. Calls are kept under the canonical form of their id.
 */
export class Engine {
  /** Set by the bot once its parts exist. */
  lifecycle: LifecycleHooks | undefined;

  constructor(
    readonly store: CallStore,
    readonly registry: OperationRegistry,
    readonly timers: OperationTimers,
    readonly sink: EventSink,
    readonly env: () => StepEnv,
    readonly transfers: TransferWaits,
  ) {}

  /** Commits one step on one call, then acts on its effects. Rejects with StoreError when the store fails. */
  commit<T>(callId: string, step: (record: CallRecord | undefined, env: StepEnv) => Step<T>): Promise<T> {
    // Plain promise chains rather than async functions: this runs once per notification, and
    // each async activation allocates; fewer young objects means fewer scavenges.
    const env = this.env();
    let written: Promise<Step<T>>;
    try {
      written = this.store.updateCall(canonicalId(callId), (record) => {
        try {
          return step(record, env);
        } catch (error) {
          throw new StepFailure(error);
        }
      });
    } catch (cause) {
      return Promise.reject(this.#failure(cause, callId));
    }
    return written.then(this.#afterCommit as (committed: Step<T>) => T | Promise<T>, (cause: unknown) => {
      throw this.#failure(cause, callId);
    });
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

  // One function for every commit rather than a closure per commit.
  readonly #afterCommit = (committed: Step<unknown>): unknown => {
    const acting = committed.effects.length > 0 ? this.apply(committed.effects) : undefined;
    return acting ? acting.then(() => committed.value) : committed.value;
  };

  /** Acts on effects in order; a promise only when one of them has to wait (store calls, follow-ups). */
  apply(effects: readonly Effect[], from = 0): void | Promise<void> {
    for (let i = from; i < effects.length; i += 1) {
      const pending = this.#applyOne(effects[i]!);
      if (pending) return pending.then(() => this.apply(effects, i + 1));
    }
  }

  #storeFailure(cause: unknown, callId: string): StoreError {
    const error = cause instanceof StoreError ? cause : new StoreError(`the call store could not record a change of call ${callId}`, { cause });
    this.sink.error(error, { source: 'store', callId });
    return error;
  }

  #applyOne(effect: Effect): void | Promise<void> {
    switch (effect.type) {
      case 'emit':
        return this.sink.emit(effect.name, effect.payload as never);
      case 'operationPending':
        return this.watch(effect.callId, effect.operation);
      case 'operationFinished':
        return this.#finished(effect.callId, effect.operation);
      case 'rosterUpdated': {
        const joined: JoinedParticipant[] = [];
        for (const j of effect.joined) {
          const invitation = this.#describe(effect.change.callId, j.operation);
          if (invitation?.kind === 'invite') joined.push({ participant: j.participant, invitation: invitation as JoinedParticipant['invitation'] });
        }
        return this.sink.emit('rosterUpdated', { ...effect.change, joined });
      }
      case 'participantMoved': {
        const invitation = this.#describe(effect.move.callId, effect.operation);
        return this.sink.emit('participantMoved', invitation ? { ...effect.move, invitation: invitation as JoinedParticipant['invitation'] } : effect.move);
      }
      case 'incomingCall':
        return this.lifecycle?.incoming(effect.callId, effect.call, effect.receivedAt);
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

  /** Sets the timeout of a pending operation. */
  watch(callId: string, op: OperationRecord, attempt = 0): void {
    if (op.deadline === undefined) return;
    const deadline = attempt === 0 ? op.deadline : Date.now() + RETRY_MS;
    this.timers.schedule(canonicalId(callId), op.key, deadline, () => {
      this.commit(callId, (record, env) => {
        if (!record) return { record, effects: [], value: undefined };
        return { ...timeOutOperation(record, op.key, env), value: operationAt(record, op.key) };
      }).then(
        (seen) => this.#settleUnheard(callId, op, seen),
        () => {
          // The store failed (reported on `error`): try again a little later, and in the end
          // settle what this process awaits from what it knows, so that no completion hangs.
          if (attempt < TIMEOUT_RETRIES) this.watch(callId, op, attempt + 1);
          else if (op.clientContext) this.registry.resolveRemote(callId, op.clientContext, { status: 'timedOut' });
        },
      );
    });
  }

  /** Sets the timeout of a pending transfer. */
  watchTransfer(callId: string, transfer: TransferRecord, attempt = 0): void {
    const deadline = attempt === 0 ? transfer.deadline : Date.now() + RETRY_MS;
    this.timers.schedule(canonicalId(callId), transferKey(transfer.token), deadline, () => {
      this.commit(callId, (record, env) => ({ ...(record ? timeOutTransfer(record, transfer.token, env) : { record, effects: [] }), value: record?.transfer })).then(
        (left) => {
          // The record lost the transfer (evicted, or a store restarted empty): time it out here.
          if (left?.token !== transfer.token) this.transfers.resolve(callId, transfer.token, { status: 'timedOut' });
        },
        () => {
          if (attempt < TIMEOUT_RETRIES) this.watchTransfer(callId, transfer, attempt + 1);
          else this.transfers.resolve(callId, transfer.token, { status: 'timedOut' });
        },
      );
    });
  }

  async #transferred(callId: string, token: string, outcome: TransferOutcome): Promise<void> {
    this.unwatch(callId, transferKey(token));
    // The process that requested it may be another one.
    if (!this.transfers.resolve(callId, token, outcome) && this.store.publishOutcome) {
      await this.store.publishOutcome(callId, token, outcome).catch((e: unknown) => this.sink.error(e, { source: 'store', callId }));
    }
  }

  /** Cancels the timeout of an operation that will not be answered. */
  unwatch(callId: string, key: string): void {
    this.timers.cancel(canonicalId(callId), key);
  }

  // The timeout found the operation final already (another process finished it and its news
  // never came), or gone from the store: settle what this process awaits from what it knows.
  #settleUnheard(callId: string, op: OperationRecord, seen: OperationRecord | undefined): void {
    if (!op.clientContext || !this.registry.holds(callId, op.clientContext)) return;
    if (seen && isFinal(seen.status)) this.registry.settle(callId, seen);
    else if (!seen) this.registry.resolveRemote(callId, op.clientContext, { status: 'timedOut' });
  }

  async #finished(callId: string, op: OperationRecord): Promise<void> {
    this.unwatch(callId, op.key);
    // The record may have lost that the bot sent it (evicted, or a store restarted empty): what
    // this process awaits is settled from its own registry all the same.
    const awaited = this.registry.holds(callId, op.clientContext);
    const shared = (op.sent || awaited) && op.clientContext ? op.clientContext : undefined;
    // Freed before the completion resolves: whoever awaits it may reuse the clientContext at once.
    if (shared) await this.store.releaseClientContext(shared, canonicalId(callId)).catch((e: unknown) => this.sink.error(e, { source: 'store', callId }));
    const sent = this.registry.settle(callId, awaited && !op.sent ? { ...op, sent: true } : op);
    const base = { kind: sent?.kind ?? op.kind, callId, operationId: op.id, clientContext: op.clientContext, operation: op.operation, ...(sent ? { sent } : {}), ...(sent?.kind === 'invite' ? { invitation: sent } : {}) };
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
