import type { VerifiedCaller } from '../auth/types.js';
import { GraphCommsError } from '../errors.js';
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

/** A custom handler did not finish within the bot's `handlerTimeoutMs`. */
export class HandlerTimeoutError extends GraphCommsError {
  constructor(index: number, timeoutMs: number) {
    super('handler_timeout', `custom handler #${index} did not finish within ${timeoutMs} ms; the notification went on without it`);
  }
}

/**
 * Runs the handlers in order, then `last`. A handler that throws, or that has not finished after
 * `timeoutMs`, is reported and the chain goes on as if it had called `next()`: one faulty
 * handler must not leave the call state behind, nor hold up the call's later notifications.
 */
export async function runHandlers(
  handlers: readonly NotificationHandler[],
  ctx: NotificationContext,
  last: () => Promise<void>,
  report: (error: unknown) => void,
  timeoutMs: number,
): Promise<void> {
  const dispatch = async (index: number): Promise<void> => {
    const handler = handlers[index];
    if (!handler) return last();
    let rest: Promise<void> | undefined;
    let abandoned = false;
    const next = (): Promise<void> => {
      if (abandoned) return Promise.resolve(); // too late: the chain went on without this handler
      if (rest) return Promise.reject(new Error('next() called more than once by one handler'));
      return (rest = dispatch(index + 1));
    };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, timeoutMs, 'late')));
    try {
      const result = await Promise.race([Promise.resolve().then(() => handler(ctx, next)), late]);
      // Late without having called next(): it holds the chain up. (Late after next() is the
      // rest of the chain being slow, which has bounds of its own.)
      if (result === 'late' && !rest) {
        report(new HandlerTimeoutError(index, timeoutMs));
        abandoned = true;
        rest = dispatch(index + 1);
      }
    } catch (error) {
      report(error);
      if (!rest) rest = dispatch(index + 1);
    } finally {
      clearTimeout(timer);
    }
    // Whatever the handler did, the notification is done only once the rest of the chain is.
    await rest;
  };
  await dispatch(0);
}
