import { createGraphTokenVerifier } from '../auth/graph-token-verifier.js';
import type { TokenVerifier, VerifiedCaller } from '../auth/types.js';
import type { CallingBotEventPayloads, ErrorContext } from '../events/event-map.js';
import { GuardedEmitter } from '../events/guarded-emitter.js';
import type { Invitation, InviteRequest } from '../events/invitation.js';
import { handleCallback, type CallbackRequest, type CallbackResponse } from '../http/handle-request.js';
import { silentLogger, type Logger } from '../logger.js';
import type { NotificationHandler } from '../pipeline/handlers.js';
import { contextKey, type CallRecord } from '../state/call-record.js';
import type { CallStore } from '../store/call-store.js';
import { MemoryCallStore } from '../store/memory-call-store.js';
import { Engine } from './engine.js';
import { InvitationRegistry } from './invitation-registry.js';
import { Inviter } from './inviter.js';
import { NotificationProcessor } from './notification-processor.js';
import { OperationTimers } from './operation-timers.js';
import type { CallingBotOptions } from './options.js';

/**
 * A calling bot: invites participants, receives Graph's callbacks, keeps each call's state
 * (operations, roster, call state) and emits typed events once callbacks are correlated with
 * the invites that caused them.
 */
export class CallingBot extends GuardedEmitter {
  /** The bot's app id. */
  readonly appId: string;
  /** Where the state machine keeps its state. */
  readonly store: CallStore;
  readonly #logger: Logger;
  readonly #verifier: TokenVerifier | undefined;
  readonly #handlers: NotificationHandler[] = [];
  readonly #engine: Engine;
  readonly #inviter: Inviter;
  readonly #processor: NotificationProcessor;
  readonly #sweeper: NodeJS.Timeout;

  constructor(options: CallingBotOptions) {
    super();
    if (typeof options?.appId !== 'string' || options.appId.trim() === '') throw new TypeError('CallingBot: appId must be a non-empty string');
    const operationTimeoutMs = positive('operationTimeoutMs', options.operationTimeoutMs ?? 120_000);
    const retentionMs = positive('retentionMs', options.retentionMs ?? 15 * 60_000);
    this.appId = options.appId;
    this.store = options.store ?? new MemoryCallStore();
    this.#logger = options.logger ?? silentLogger;
    this.#verifier = options.tokenVerifier === false ? undefined : (options.tokenVerifier ?? createGraphTokenVerifier({ appId: options.appId, logger: this.#logger }));
    const sink = {
      emit: <K extends keyof CallingBotEventPayloads>(name: K, payload: CallingBotEventPayloads[K]) => {
        (this.emit as (name: K, payload: CallingBotEventPayloads[K]) => boolean)(name, payload);
      },
      error: (error: unknown, context: ErrorContext) => this.emitError(error, context),
    };
    const env = () => ({ now: Date.now(), operationTimeoutMs, retentionMs });
    const registry = new InvitationRegistry(retentionMs);
    this.#engine = new Engine(this.store, registry, new OperationTimers(), sink, env);
    // Settled invitations must go once retention passes even if no other invite ever settles.
    this.#sweeper = setInterval(() => registry.sweep(), Math.min(retentionMs, 60_000));
    this.#sweeper.unref();
    this.store.subscribeOutcomes?.((callId, clientContext, outcome) => {
      if (registry.resolveRemote(callId, clientContext, outcome)) this.#engine.timers.cancel(callId, contextKey(clientContext));
    });
    this.#inviter = new Inviter(this.#engine, options.graphClient, options.graphVersion ?? 'v1.0', operationTimeoutMs);
    this.#processor = new NotificationProcessor(this.#engine, this.#handlers);
  }

  /** Adds a custom handler, run for every notification in the order added, before the built-in state machine. */
  use(handler: NotificationHandler): this {
    if (typeof handler !== 'function') throw new TypeError('use() takes a function (ctx, next) => ...');
    this.#handlers.push(handler);
    return this;
  }

  /**
   * Invites participants into a call. Rejects with `InviteValidationError` (no HTTP call) when
   * the request breaks a rule of the invite API, and with `GraphRequestError` when Graph refuses.
   */
  invite(callId: string, request: InviteRequest): Promise<Invitation> {
    return this.#inviter.invite(callId, request);
  }

  /** Applies a callback body without verifying a token. Rejects with `NotificationFormatError` or `StoreError`. */
  processNotifications(body: unknown, caller?: VerifiedCaller): Promise<void> {
    return this.#processor.process(body, caller);
  }

  /** The framework-neutral callback endpoint that every adapter wraps. */
  handleRequest(request: CallbackRequest): Promise<CallbackResponse> {
    return handleCallback({ verifier: this.#verifier, logger: this.#logger, process: (body, caller) => this.#processor.process(body, caller) }, request);
  }

  /** What the bot knows of a call: its state, roster and operations. */
  getCall(callId: string): Promise<CallRecord | undefined> {
    return this.store.getCall(callId);
  }

  /** Releases timers and the store's connections, so that the process can exit. */
  async close(): Promise<void> {
    this.#engine.timers.clear();
    clearInterval(this.#sweeper);
    await this.store.close();
  }

  protected override reportUnheardError(error: Error, context: ErrorContext): void {
    this.#logger.error({ err: error.message, code: (error as { code?: unknown }).code, ...context, notification: undefined }, 'unhandled error (no "error" listener)');
  }
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new TypeError(`CallingBot: ${name} must be a positive number`);
  return value;
}
