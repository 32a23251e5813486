import { createGraphTokenVerifier } from '../auth/graph-token-verifier.js';
import type { TokenVerifier, VerifiedCaller } from '../auth/types.js';
import type { CallingBotEventPayloads, ErrorContext } from '../events/event-map.js';
import { GuardedEmitter } from '../events/guarded-emitter.js';
import { CallHandle } from '../handles/call-handle.js';
import { handleCallback, type CallbackRequest, type CallbackResponse, type CallbackTarget } from '../http/handle-request.js';
import type { Logger } from '../logger.js';
import { resolveLogger } from '../logging/resolve-logger.js';
import { logUnheardError } from '../logging/unheard-error.js';
import { canonicalId } from '../model/ids.js';
import { downloadRecording, type DownloadRecordingOptions, type RecordingSource } from '../operations/download-recording.js';
import type { Invitation } from '../operations/operation.js';
import type { InviteRequest } from '../operations/requests.js';
import type { NotificationHandler } from '../pipeline/handlers.js';
import { contextKey, emptyCallRecord, type CallRecord } from '../state/call-record.js';
import { applyCallNotification } from '../state/call-state.js';
import { joinRequest } from '../operations/meeting-link.js';
import { isAbsoluteHttpUrl, refuseRequest } from '../operations/rules.js';
import type { CreateCallRequest, JoinMeetingOptions, MeetingToJoin } from '../operations/requests.js';
import { IncomingCalls } from './incoming-calls.js';
import { KeepAlives } from './keep-alives.js';
import { TransferWaits, transferKey } from './transfer-waits.js';
import type { CallStore } from '../store/call-store.js';
import { DEFAULT_RETENTION_MS, MemoryCallStore } from '../store/memory-call-store.js';
import type { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { Engine } from './engine.js';
import { Deadlines, keepAliveKey } from './deadlines.js';
import { NotificationProcessor } from './notification-processor.js';
import { OperationRegistry } from './operation-registry.js';
import { OperationSender } from './operation-sender.js';
import { OperationTimers } from './operation-timers.js';
import type { CallingBotOptions } from './options.js';
import { checkGraphClient } from './graph-client.js';
import { createTelemetry } from '../telemetry/create.js';

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
  readonly #incoming: IncomingCalls;
  readonly #keepAlives: KeepAlives | undefined;
  #closed = false;
  #callbackTarget: CallbackTarget | undefined;
  readonly #closeTimeoutMs: number;

  constructor(options: CallingBotOptions) {
    super();
    if (typeof options?.appId !== 'string' || options.appId.trim() === '') throw new TypeError('CallingBot: appId must be a non-empty string');
    // Every option is checked before anything starts (a store subscription, a timer), so that a
    // bad option leaves nothing behind.
    const operationTimeoutMs = duration('operationTimeoutMs', options.operationTimeoutMs ?? 120_000);
    const retentionMs = duration('retentionMs', options.retentionMs ?? DEFAULT_RETENTION_MS);
    const handlerTimeoutMs = duration('handlerTimeoutMs', options.handlerTimeoutMs ?? 10_000);
    const answerDeadlineMs = duration('answerDeadlineMs', options.answerDeadlineMs ?? 15_000);
    const keepAliveIntervalMs = options.keepAliveIntervalMs === false ? false : duration('keepAliveIntervalMs', options.keepAliveIntervalMs ?? 15 * 60_000);
    const outboxLeaseMs = duration('outboxLeaseMs', options.outboxLeaseMs ?? 5_000);
    this.#closeTimeoutMs = duration('closeTimeoutMs', options.closeTimeoutMs ?? 10_000);
    const deadlinePollMs = duration('deadlinePollMs', options.deadlinePollMs ?? Math.max(10, Math.min(1_000, keepAliveIntervalMs === false ? 1_000 : keepAliveIntervalMs / 4)));
    const callbackUri = options.callbackUri;
    if (callbackUri !== undefined && !isAbsoluteHttpUrl(callbackUri)) throw new TypeError('CallingBot: callbackUri must be an absolute http(s) URL (https in production)');
    checkGraphClient(options.graphClient);
    this.appId = options.appId;
    this.store = options.store ?? new MemoryCallStore({ retentionMs });
    this.#logger = resolveLogger(options.logger, 'CallingBot');
    const telemetry = createTelemetry(options.telemetry, () => this.#logger);
    this.#verifier = options.tokenVerifier === false ? undefined : (options.tokenVerifier ?? createGraphTokenVerifier({ appId: options.appId, logger: this.#logger }));
    const sink = {
      emit: <K extends keyof CallingBotEventPayloads>(name: K, payload: CallingBotEventPayloads[K]) => {
        (super.emit as (name: K, payload: CallingBotEventPayloads[K]) => boolean).call(this, name, payload);
      },
      error: (error: unknown, context: ErrorContext) => this.emitError(error, context),
    };
    const env = () => ({ now: Date.now(), operationTimeoutMs, retentionMs });
    const registry = new OperationRegistry(retentionMs);
    const transfers = new TransferWaits();
    this.#engine = new Engine(this.store, registry, new OperationTimers(), sink, env, transfers, { owner: randomUUID(), leaseMs: outboxLeaseMs });
    this.#engine.telemetry = registry.telemetry = telemetry;
    // A claimed deadline whose claimer died comes due again after the longest a keepAlive may take.
    this.#engine.deadlines = new Deadlines(
      this.store,
      { pollMs: deadlinePollMs, retryMs: 30_000 + deadlinePollMs, graceMs: deadlinePollMs, outboxLeaseMs },
      (key, claimedUntil) => this.#engine.deadlineDue(key, claimedUntil),
      (callId) => this.#engine.sweepOutbox(callId),
      this.#logger,
    );
    // Settled operations must go once retention passes even if no other operation ever settles.
    this.#sweeper = setInterval(() => registry.sweep(), Math.min(retentionMs, 60_000));
    this.#sweeper.unref();
    this.store.subscribeOutcomes?.(
      (callId, clientContext, outcome) => {
        if (registry.resolveRemote(callId, clientContext, outcome)) this.#engine.unwatch(callId, contextKey(clientContext));
        else if (transfers.resolve(callId, clientContext, outcome)) this.#engine.unwatch(callId, transferKey(clientContext));
      },
      () => void this.#engine.recoverOutcomes(() => this.#closed),
    );
    this.#sender = new OperationSender(this.#engine, options.graphClient, options.graphVersion ?? 'v1.0', operationTimeoutMs, callbackUri, transfers, this.#logger);
    this.#processor = new NotificationProcessor(this.#engine, this.#handlers, handlerTimeoutMs);
    this.#incoming = new IncomingCalls(
      (event) => sink.emit('incomingCall', event),
      (callId) => this.call(callId),
      (callId) => this.getCall(callId),
      () => this.listenerCount('incomingCall'),
      this.#logger,
      answerDeadlineMs,
    );
    this.#keepAlives =
      keepAliveIntervalMs === false
        ? undefined
        : new KeepAlives(this.#engine.deadlines, keepAliveIntervalMs, (callId) => this.call(callId).keepAlive(), (callId) => this.#gone(callId), (callId) => this.#ended(callId), this.#logger);
    this.#sender.onAccepted = (action, callId) => {
      if (action === 'answer' || action === 'reject' || action === 'redirect') this.#incoming.settled(callId);
      // A call being hung up answers keepAlive 404 before its end arrives: no more of them.
      if (action === 'hangUp') void this.#keepAlives?.stop(callId).catch(() => undefined);
    };
    this.#engine.lifecycle = {
      incoming: (callId, call, receivedAt, eventId) => this.#incoming.offered(callId, call, receivedAt, eventId),
      // With keepAlives off here, another bot sharing the store sends them: left to come due again.
      keepAliveDue: async (callId, claimedUntil) => this.#keepAlives?.due(callId, claimedUntil),
      keepAlive: (callId, running) => {
        if (running) return this.#keepAlives?.start(callId).catch((error: unknown) => this.emitError(error, { source: 'store', callId }));
        this.#incoming.settled(callId);
        // Even with keepAlives off here: another bot sharing the store may have scheduled it.
        const stopping = this.#keepAlives ? this.#keepAlives.stop(callId) : this.#engine.deadlines.cancel(keepAliveKey(callId));
        return stopping.catch((error: unknown) => this.emitError(error, { source: 'store', callId }));
      },
    };
  }

  /** Adds a custom handler, run for every notification in the order added, before the built-in state machine. */
  use(handler: NotificationHandler): this {
    if (typeof handler !== 'function') throw new TypeError('use() takes a function (ctx, next) => ...');
    this.#handlers.push(handler);
    return this;
  }

  /** A handle on one call, to act on it (answer, play, record, mute, transfer, hang up...). No I/O. */
  call(callId: string): CallHandle {
    return new CallHandle(callId, this.#sender);
  }

  /**
   * Places a call (`POST /communications/calls`) with the bot's `callbackUri`, audio and
   * service-hosted media unless told otherwise; resolves a handle on it once Graph answered 201.
   * Its callbacks may arrive before that answer: they are kept all the same.
   */
  async createCall(request: CreateCallRequest): Promise<CallHandle> {
    return this.call(await this.#sender.createCall(request));
  }

  /**
   * Joins a Teams meeting, from its link (`https://teams.microsoft.com/l/meetup-join/...`, URL-encoded
   * or not) or its meeting id and passcode. A link that is not a Teams meeting link rejects with
   * `RequestValidationError` before any request.
   */
  async joinMeeting(meeting: MeetingToJoin, options: JoinMeetingOptions = {}): Promise<CallHandle> {
    const joining = joinRequest(meeting, refuseRequest('joinMeeting'));
    return this.createCall({ ...options, ...joining, tenantId: options.tenantId ?? joining.tenantId });
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
    // One target for every callback rather than an object and a closure per request.
    this.#callbackTarget ??= { verifier: this.#verifier, logger: this.#logger, telemetry: this.#engine.telemetry, process: (body, caller) => this.#processor.process(body, caller) };
    return handleCallback(this.#callbackTarget, request);
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
    this.#incoming.close();
    this.#keepAlives?.close();
    // Commits under way finish first (their events out, their callbacks answered), arming no
    // new timers here: what they leave pending stays in the store's deadlines for the others.
    this.#engine.closing = true;
    await this.#engine.quiesce(this.#closeTimeoutMs);
    this.#engine.timers.clear();
    clearInterval(this.#sweeper);
    await this.#engine.deadlines.close();
    // Events already emitted are marked so before the store goes, so that no other process emits them again.
    await this.#engine.drain();
    await this.store.close();
  }

  async #ended(callId: string): Promise<boolean> {
    const record = await this.store.getCall(canonicalId(callId)).catch(() => undefined);
    return record?.endedAt !== undefined;
  }

  // keepAlive answered 404: Graph no longer knows the call, which ended without the bot hearing it.
  #gone(callId: string): Promise<void> {
    const ending = { state: 'terminated', resultInfo: { code: 404, subcode: 0, message: 'keepAlive answered 404: the call no longer exists' } };
    return this.#engine.commit(callId, (record, env) => {
      // Ending already: Graph's own end, with its code, is on its way.
      if (record?.state === 'terminating') return { record, effects: [], value: undefined };
      return { ...applyCallNotification(record ?? emptyCallRecord(callId, env.now), 'deleted', ending, env), value: undefined };
    });
  }

  /** The bot's events are its own: emitting one from outside throws. */
  override emit(): never {
    throw new TypeError('CallingBot events are emitted by the bot itself');
  }

  protected override reportUnheardError(error: Error, context: ErrorContext): void {
    logUnheardError(this.#logger, error, context);
  }
}

/** The longest delay Node's timers take (about 24.8 days); a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

function duration(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > MAX_TIMER_MS) {
    throw new TypeError(`CallingBot: ${name} must be a positive number of milliseconds, at most ${MAX_TIMER_MS}`);
  }
  return value;
}
