import type { CallbackRequest, CallbackResponse } from './handle-request.js';

/** What an adapter needs of a bot: its runtime-neutral entry point. A `CallingBot` fits. */
export interface CallbackReceiver {
  /** Answers one callback: see `CallingBot.handleRequest`. */
  handleRequest(request: CallbackRequest): Promise<CallbackResponse>;
}

/** Throws `TypeError` naming `owner` when `bot` has no `handleRequest`, so that a wrong argument fails at start-up. */
export function checkReceiver(bot: unknown, owner: string): asserts bot is CallbackReceiver {
  if (typeof (bot as Partial<CallbackReceiver> | null | undefined)?.handleRequest !== 'function') {
    throw new TypeError(`${owner}: bot must have a handleRequest method (a CallingBot fits)`);
  }
}
