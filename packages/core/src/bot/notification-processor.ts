import type { VerifiedCaller } from '../auth/types.js';
import { StoreError } from '../errors.js';
import type { CommsNotification } from '../model/graph.js';
import { routeNotification, type RoutedNotification } from '../notifications/classify.js';
import { validateNotificationsBody } from '../notifications/validate-body.js';
import { runHandlers, type NotificationContext, type NotificationHandler } from '../pipeline/handlers.js';
import { KeyedQueue } from '../pipeline/keyed-queue.js';
import { applyNotification } from '../state/apply-notification.js';
import { emit } from '../state/effects.js';
import type { Engine } from './engine.js';

/** A notification not applied because an earlier one of its call in the same body was not recorded. */
const SKIPPED = new StoreError('an earlier notification of this call in the same body was not recorded');

/**
 * Takes callback bodies: validates them whole, then runs each notification through the custom
 * handlers and the state machine, one at a time per call, in arrival order.
 */
export class NotificationProcessor {
  readonly #queue = new KeyedQueue();
  #closed = false;

  constructor(
    private readonly engine: Engine,
    private readonly handlers: readonly NotificationHandler[],
    private readonly handlerTimeoutMs: number,
  ) {}

  /** From now on every body is refused as not recorded (503: Graph delivers it again elsewhere or later). */
  close(): void {
    this.#closed = true;
  }

  /**
   * Resolves once every notification of the body is applied. Rejects with NotificationFormatError
   * (nothing applied), StoreError (not everything recorded: Graph must deliver again), or the
   * error of a step that failed for another reason (a programming error: 500).
   */
  process(body: unknown, caller?: VerifiedCaller): Promise<void> {
    if (this.#closed) return Promise.reject(new StoreError('the bot is closed'));
    let notifications: CommsNotification[];
    try {
      notifications = validateNotificationsBody(body);
    } catch (error) {
      return Promise.reject(error);
    }
    // Graph's usual callback holds one notification: no need to collect several outcomes.
    if (notifications.length === 1) return this.#processOne(notifications[0]!, caller, undefined);
    // Once one notification of a call is not recorded, the later ones of that call in this body
    // wait for the redelivery too: applying an unmute before the mute it follows would end muted.
    const failed = new Set<string>();
    return Promise.allSettled(notifications.map((n) => this.#processOne(n, caller, failed))).then((results) => {
      const errors = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
      if (errors.length > 0) throw errors.find((e) => e instanceof StoreError) ?? errors[0];
    });
  }

  #processOne(notification: CommsNotification, caller: VerifiedCaller | undefined, failed: Set<string> | undefined): Promise<void> {
    const routed = routeNotification(notification);
    this.engine.telemetry.notification(routed.kind);
    // Notifications without a call share one queue, so they too keep their order.
    const key = routed.callId ?? '';
    const task = this.handlers.length === 0 ? () => this.#apply(routed, notification) : () => this.#withHandlers(routed, notification, caller);
    if (!failed) return this.#queue.run(key, task);
    return this.#queue.run(key, () => {
      if (failed.has(key)) return Promise.reject(SKIPPED);
      return task().catch((error: unknown) => {
        failed.add(key);
        throw error;
      });
    });
  }

  async #withHandlers(routed: RoutedNotification, notification: CommsNotification, caller: VerifiedCaller | undefined): Promise<void> {
    const ctx: NotificationContext = { notification, callId: routed.callId, kind: routed.kind, caller, state: {} };
    let failure: { error: unknown } | undefined;
    const builtIn = async (): Promise<void> => {
      try {
        await this.#apply(routed, notification);
      } catch (error) {
        failure = { error }; // kept from the handlers, so none of them can swallow it
      }
    };
    await runHandlers(this.handlers, ctx, builtIn, (error) => this.engine.sink.error(error, handlerContext(routed, notification)), this.handlerTimeoutMs);
    if (failure) throw failure.error;
  }

  #apply(routed: RoutedNotification, notification: CommsNotification): Promise<void> {
    if (routed.kind === 'unknown') {
      this.engine.apply([emit('notificationUnhandled', routed.callId ? { notification, callId: routed.callId } : { notification })], this.engine.newBatchId()); // nothing to record
      return Promise.resolve();
    }
    return this.engine.commit(routed.callId, (record, env) => applyNotification(record, routed, notification, env));
  }
}

const handlerContext = (routed: RoutedNotification, notification: CommsNotification) =>
  routed.callId ? { source: 'handler' as const, callId: routed.callId, notification } : { source: 'handler' as const, notification };
