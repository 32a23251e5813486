import { StoreError } from '../errors.js';
import type { CallingBotEventPayloads, ErrorContext, JoinedParticipant } from '../events/event-map.js';
import type { CallRecord, OperationRecord } from '../state/call-record.js';
import type { Effect, Step, StepEnv } from '../state/effects.js';
import { timeOutOperation } from '../state/operations.js';
import { markReplaced } from '../state/replacement.js';
import { emptyCallRecord, isFinal, operationAt } from '../state/call-record.js';
import type { CallStore } from '../store/call-store.js';
import { outcomeOf, type InvitationRegistry } from './invitation-registry.js';
import type { OperationTimers } from './operation-timers.js';

/** Where the engine sends events and errors. */
export interface EventSink {
  emit<K extends keyof CallingBotEventPayloads>(name: K, payload: CallingBotEventPayloads[K]): void;
  error(error: unknown, context: ErrorContext): void;
}

/**
 * Commits state machine steps to the store and turns their effects into events, completions,
 * timers and follow-up steps on other calls.
 */
export class Engine {
  constructor(
    readonly store: CallStore,
    readonly registry: InvitationRegistry,
    readonly timers: OperationTimers,
    readonly sink: EventSink,
    readonly env: () => StepEnv,
  ) {}

  /** Commits one step on one call, then acts on its effects. Rejects with StoreError when the store fails. */
  commit<T>(callId: string, step: (record: CallRecord | undefined, env: StepEnv) => Step<T>): Promise<T> {
    // Plain promise chains rather than async functions: this runs once per notification, and
    // each async activation allocates; fewer young objects means fewer scavenges.
    const env = this.env();
    let written: Promise<Step<T>>;
    try {
      written = this.store.updateCall(callId, (record) => step(record, env));
    } catch (cause) {
      return Promise.reject(this.#storeFailure(cause, callId));
    }
    return written.then(this.#afterCommit as (committed: Step<T>) => T | Promise<T>, (cause: unknown) => {
      throw this.#storeFailure(cause, callId);
    });
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
      case 'operationPending':
        return this.watch(effect.callId, effect.operation);
      case 'operationFinished':
        return this.#finished(effect.callId, effect.operation);
      case 'rosterUpdated': {
        const joined: JoinedParticipant[] = [];
        for (const j of effect.joined) {
          const invitation = this.registry.describe(effect.callId, j.operation);
          if (invitation) joined.push({ participant: j.participant, invitation });
        }
        const { callId, participants, added, updated, removed } = effect;
        return this.sink.emit('rosterUpdated', { callId, participants, added, updated, removed, joined });
      }
      case 'callUpdated':
        return this.sink.emit('callUpdated', { callId: effect.callId, state: effect.state, call: effect.call });
      case 'callTerminated':
        return this.sink.emit('callTerminated', effect.resultInfo ? { callId: effect.callId, resultInfo: effect.resultInfo } : { callId: effect.callId });
      case 'p2pReplaced': {
        const { groupCallId, replacedCallId, operationId, clientContext, participant } = effect;
        return this.sink.emit('p2pReplaced', { groupCallId, replacedCallId, operationId, clientContext, participant });
      }
      case 'notificationUnhandled':
        return this.sink.emit('notificationUnhandled', effect.callId ? { notification: effect.notification, callId: effect.callId } : { notification: effect.notification });
    }
  }

  /** Sets the timeout of a pending operation. */
  watch(callId: string, op: OperationRecord): void {
    if (op.deadline === undefined) return;
    this.timers.schedule(callId, op.key, op.deadline, () => {
      this.commit(callId, (record, env) => {
        if (!record) return { record, effects: [], value: undefined };
        return { ...timeOutOperation(record, op.key, env), value: operationAt(record, op.key) };
      })
        .then((seen) => {
          // Another process finished it and its news never came (a lost publish): settle from the record.
          if (seen && isFinal(seen.status) && this.registry.holds(callId, seen.clientContext)) this.registry.settle(callId, seen);
        })
        .catch(() => undefined); // already reported on `error` by commit
    });
  }

  async #finished(callId: string, op: OperationRecord): Promise<void> {
    this.timers.cancel(callId, op.key);
    const local = this.registry.holds(callId, op.clientContext);
    const invitation = this.registry.settle(callId, op);
    if (op.sentByBot && op.clientContext && !local && this.store.publishOutcome) {
      // Another process sent this invite and awaits its completion.
      await this.store.publishOutcome(callId, op.clientContext, outcomeOf(op)).catch((e: unknown) => this.sink.error(e, { source: 'store', callId }));
    }
    if (op.sentByBot && op.clientContext) await this.store.releaseClientContext(op.clientContext, callId).catch((e: unknown) => this.sink.error(e, { source: 'store', callId }));
    const base = { callId, operationId: op.id, clientContext: op.clientContext, operation: op.operation, ...(invitation ? { invitation } : {}) };
    if (op.status === 'completed') this.sink.emit('operationCompleted', base);
    else this.sink.emit('operationFailed', { ...base, reason: op.status === 'timedOut' ? 'timedOut' : 'failed', ...(op.resultInfo ? { resultInfo: op.resultInfo } : {}) });
    if (op.status === 'completed') await this.#followUp(callId, op, invitation ? { invitation } : {});
  }

  // A completed replace or move has consequences beyond its own call.
  async #followUp(callId: string, op: OperationRecord, extra: { invitation?: CallingBotEventPayloads['participantMoved']['invitation'] }): Promise<void> {
    const invitee = (op.invited ?? op.operation?.participants ?? [])[0];
    const source = invitee?.replacesCallId;
    if (!invitee || !source) return;
    if (invitee.participantId) {
      this.sink.emit('participantMoved', {
        callId,
        sourceCallId: source,
        participantId: invitee.participantId,
        operationId: op.id,
        clientContext: op.clientContext,
        participant: invitee,
        ...extra,
      });
      return;
    }
    const replacement = { groupCallId: callId, operationId: op.id, clientContext: op.clientContext, participant: invitee };
    await this.commit(source, (record, env) => ({ ...markReplaced(record ?? emptyCallRecord(source, env.now), replacement, env), value: undefined })).catch(() => undefined);
  }
}
