import type { VerifiedCaller } from '../auth/types.js';
import type { CommsNotification } from '../model/graph.js';

/** What a custom handler sees of one notification. */
export interface NotificationContext {
  /** The commsNotification as received. */
  readonly notification: CommsNotification;
  /** Parsed from resourceUrl or resource (`/communications/...` and `/app/...` both). */
  readonly callId: string | undefined;
  /** What the notification is about. */
  readonly kind: 'operation' | 'roster' | 'call' | 'unknown';
  /** The verified token's claims (tenant etc.), when the callback was verified. */
  readonly caller: VerifiedCaller | undefined;
  /** A place for handlers to share data about this notification. */
  readonly state: Record<string, unknown>;
}

/** A custom handler: runs before the built-in state machine; not calling `next()` stops the notification there. */
export type NotificationHandler = (ctx: NotificationContext, next: () => Promise<void>) => void | Promise<void>;

/**
 * Runs the handlers in order, then `last`. A handler that throws is reported and the chain goes
 * on as if it had called `next()`: one faulty handler must not leave the call state behind.
 */
export async function runHandlers(
  handlers: readonly NotificationHandler[],
  ctx: NotificationContext,
  last: () => Promise<void>,
  report: (error: unknown) => void,
): Promise<void> {
  const dispatch = async (index: number): Promise<void> => {
    const handler = handlers[index];
    if (!handler) return last();
    let called = false;
    const next = (): Promise<void> => {
      if (called) return Promise.reject(new Error('next() called more than once by one handler'));
      called = true;
      return dispatch(index + 1);
    };
    try {
      await handler(ctx, next);
    } catch (error) {
      report(error);
      if (!called) await next();
    }
  };
  await dispatch(0);
}
