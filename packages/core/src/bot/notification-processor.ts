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

/**
 * Takes callback bodies: validates them whole, then runs each notification through the custom
 * handlers and the state machine, one at a time per call, in arrival order.
 */
export class NotificationProcessor {
  readonly #queue = new KeyedQueue();

  constructor(
    private readonly engine: Engine,
    private readonly handlers: readonly NotificationHandler[],
  ) {}

  /**
   * Resolves once every notification of the body is applied. Rejects with NotificationFormatError
   * (nothing applied) or StoreError (not everything recorded: Graph must deliver again).
   */
  process(body: unknown, caller?: VerifiedCaller): Promise<void> {
    let notifications: CommsNotification[];
    try {
      notifications = validateNotificationsBody(body);
    } catch (error) {
      return Promise.reject(error);
    }
    // Graph's usual callback holds one notification: no need to collect several outcomes.
    if (notifications.length === 1) return this.#processOne(notifications[0]!, caller).catch(asStoreError);
    return Promise.allSettled(notifications.map((n) => this.#processOne(n, caller))).then((results) => {
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) asStoreError(failed.reason);
    });
  }

  #processOne(notification: CommsNotification, caller: VerifiedCaller | undefined): Promise<void> {
    const routed = routeNotification(notification);
    // Notifications without a call share one queue, so they too keep their order.
    if (this.handlers.length === 0) return this.#queue.run(routed.callId ?? '', () => this.#apply(routed, notification));
    return this.#queue.run(routed.callId ?? '', async () => {
      const ctx: NotificationContext = { notification, callId: routed.callId, kind: routed.kind, caller, state: {} };
      let storeFailure: unknown;
      const builtIn = async (): Promise<void> => {
        try {
          await this.#apply(routed, notification);
        } catch (error) {
          storeFailure = error; // kept from the handlers, so none of them can swallow it
        }
      };
      await runHandlers(this.handlers, ctx, builtIn, (error) => this.engine.sink.error(error, handlerContext(routed, notification)));
      if (storeFailure !== undefined) throw storeFailure;
    });
  }

  #apply(routed: RoutedNotification, notification: CommsNotification): Promise<void> {
    if (routed.kind === 'unknown') {
      this.engine.apply([emit('notificationUnhandled', routed.callId ? { notification, callId: routed.callId } : { notification })]); // nothing to record
      return Promise.resolve();
    }
    return this.engine.commit(routed.callId, (record, env) => applyNotification(record, routed, notification, env));
  }
}

function asStoreError(error: unknown): never {
  throw error instanceof StoreError ? error : new StoreError('a notification could not be recorded', { cause: error });
}

const handlerContext = (routed: RoutedNotification, notification: CommsNotification) =>
  routed.callId ? { source: 'handler' as const, callId: routed.callId, notification } : { source: 'handler' as const, notification };
