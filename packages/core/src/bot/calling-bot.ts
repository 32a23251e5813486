import { createGraphTokenVerifier } from '../auth/graph-token-verifier.js';
import type { TokenVerifier, VerifiedCaller } from '../auth/types.js';
import type { CallingBotEventPayloads, ErrorContext } from '../events/event-map.js';
import { GuardedEmitter } from '../events/guarded-emitter.js';
import { CallHandle } from '../handles/call-handle.js';
import { handleCallback, type CallbackRequest, type CallbackResponse } from '../http/handle-request.js';
import { silentLogger, type Logger } from '../logger.js';
import { canonicalId } from '../model/ids.js';
import { downloadRecording, type DownloadRecordingOptions, type RecordingSource } from '../operations/download-recording.js';
import type { Invitation } from '../operations/operation.js';
import type { InviteRequest } from '../operations/requests.js';
import type { NotificationHandler } from '../pipeline/handlers.js';
import { contextKey, type CallRecord } from '../state/call-record.js';
import type { CallStore } from '../store/call-store.js';
import { DEFAULT_RETENTION_MS, MemoryCallStore } from '../store/memory-call-store.js';
import type { Readable } from 'node:stream';
import { Engine } from './engine.js';
import { NotificationProcessor } from './notification-processor.js';
import { OperationRegistry } from './operation-registry.js';
import { OperationSender } from './operation-sender.js';
import { OperationTimers } from './operation-timers.js';
import type { CallingBotOptions } from './options.js';

/**
 * A calling bot: acts on calls through handles (`bot.call(id)`), receives Graph's callbacks,
 * keeps each call's state (operations, roster, call state) and emits typed events once
 * callbacks are correlated with the requests that caused them.
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
  readonly #sender: OperationSender;
  readonly #processor: NotificationProcessor;
  readonly #sweeper: NodeJS.Timeout;
  #closed = false;

  constructor(options: CallingBotOptions) {
    super();
    if (typeof options?.appId !== 'string' || options.appId.trim() === '') throw new TypeError('CallingBot: appId must be a non-empty string');
    const operationTimeoutMs = positive('operationTimeoutMs', options.operationTimeoutMs ?? 120_000);
    const retentionMs = positive('retentionMs', options.retentionMs ?? DEFAULT_RETENTION_MS);
    this.appId = options.appId;
    this.store = options.store ?? new MemoryCallStore({ retentionMs });
    this.#logger = options.logger ?? silentLogger;
    this.#verifier = options.tokenVerifier === false ? undefined : (options.tokenVerifier ?? createGraphTokenVerifier({ appId: options.appId, logger: this.#logger }));
    const sink = {
      emit: <K extends keyof CallingBotEventPayloads>(name: K, payload: CallingBotEventPayloads[K]) => {
        (this.emit as (name: K, payload: CallingBotEventPayloads[K]) => boolean)(name, payload);
      },
      error: (error: unknown, context: ErrorContext) => this.emitError(error, context),
    };
    const env = () => ({ now: Date.now(), operationTimeoutMs, retentionMs });
    const registry = new OperationRegistry(retentionMs);
    this.#engine = new Engine(this.store, registry, new OperationTimers(), sink, env);
    // Settled operations must go once retention passes even if no other operation ever settles.
    this.#sweeper = setInterval(() => registry.sweep(), Math.min(retentionMs, 60_000));
    this.#sweeper.unref();
    this.store.subscribeOutcomes?.(
      (callId, clientContext, outcome) => {
        if (registry.resolveRemote(callId, clientContext, outcome)) this.#engine.unwatch(callId, contextKey(clientContext));
      },
      () => void this.#engine.recoverOutcomes(() => this.#closed),
    );
    this.#sender = new OperationSender(this.#engine, options.graphClient, options.graphVersion ?? 'v1.0', operationTimeoutMs);
    this.#processor = new NotificationProcessor(this.#engine, this.#handlers, positive('handlerTimeoutMs', options.handlerTimeoutMs ?? 10_000));
  }

  /** Adds a custom handler, run for every notification in the order added, before the built-in state machine. */
  use(handler: NotificationHandler): this {
    if (typeof handler !== 'function') throw new TypeError('use() takes a function (ctx, next) => ...');
    this.#handlers.push(handler);
    return this;
  }

  /** A handle on one call, to act on it (play, record, mute, hang up...). No I/O. */
  call(callId: string): CallHandle {
    return new CallHandle(callId, this.#sender);
  }

  /**
   * Invites participants into a call. Rejects with `InviteValidationError` (no HTTP call) when
   * the request breaks a rule of the invite API, and with `GraphRequestError` when Graph refuses.
   */
  invite(callId: string, request: InviteRequest): Promise<Invitation> {
    return this.#sender.start('invite', { callId }, request);
  }

  /**
   * Downloads the recording of a completed `recordResponse` (its outcome, or its recordOperation)
   * with its access token: a Buffer, or a stream with `{ stream: true }`. Rejects with
   * `RecordingDownloadError` (`recording_expired` once the token is no longer accepted).
   */
  downloadRecording(source: RecordingSource, options?: DownloadRecordingOptions & { stream?: false }): Promise<Buffer>;
  downloadRecording(source: RecordingSource, options: DownloadRecordingOptions & { stream: true }): Promise<Readable>;
  downloadRecording(source: RecordingSource, options: DownloadRecordingOptions = {}): Promise<Buffer | Readable> {
    return downloadRecording(source, options);
  }

  /** Applies a callback body without verifying a token. Rejects with `NotificationFormatError` or `StoreError`. */
  processNotifications(body: unknown, caller?: VerifiedCaller): Promise<void> {
    return this.#processor.process(body, caller);
  }

  /** The framework-neutral callback endpoint that every adapter wraps. */
  handleRequest(request: CallbackRequest): Promise<CallbackResponse> {
    return handleCallback({ verifier: this.#verifier, logger: this.#logger, process: (body, caller) => this.#processor.process(body, caller) }, request);
  }

  /** What the bot knows of a call: its state, roster and operations (either form of its id). */
  getCall(callId: string): Promise<CallRecord | undefined> {
    return this.store.getCall(canonicalId(callId));
  }

  /**
   * Releases timers and the store's connections, so that the process can exit. A closed bot
   * answers callbacks 503 (Graph delivers them again, to another instance or later) and records
   * nothing.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#processor.close();
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
