import type { CallingBotEventPayloads } from '../events/event-map.js';
import type { CallHandle } from '../handles/call-handle.js';
import type { Logger } from '../logger.js';
import type { Call } from '../model/graph.js';
import type { CallRecord } from '../state/call-record.js';
import { canonicalId } from '../model/ids.js';

/**
 * Calls offered to the bot: `incomingCall` goes to the listeners once the callback is
 * acknowledged (they must not hold up Graph's delivery), and a call still unanswered, unrejected
 * and unredirected when Graph's 15 s have passed is logged, since Graph drops it (408/1106).
 */
export class IncomingCalls {
  readonly #waiting = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly emit: (payload: CallingBotEventPayloads['incomingCall']) => void,
    private readonly handle: (callId: string) => CallHandle,
    private readonly getCall: (callId: string) => Promise<CallRecord | undefined>,
    private readonly listeners: () => number,
    private readonly logger: Logger,
    private readonly deadlineMs: number,
  ) {}

  offered(callId: string, call: Call, receivedAt: number, eventId: string): void {
    const handle = this.handle(callId);
    const event = {
      eventId,
      callId,
      call,
      receivedAt,
      answer: (options?: Parameters<CallHandle['answer']>[0]) => handle.answer(options),
      reject: (options?: Parameters<CallHandle['reject']>[0]) => handle.reject(options),
      redirect: (request: Parameters<CallHandle['redirect']>[0]) => handle.redirect(request),
    };
    setImmediate(() => this.emit(event));
    const timer = setTimeout(() => void this.#late(callId), Math.max(0, receivedAt + this.deadlineMs - Date.now()));
    timer.unref();
    this.#waiting.set(canonicalId(callId), timer);
  }

  /** The bot answered, rejected or redirected it (here, or another process: the call moved on). */
  settled(callId: string): void {
    clearTimeout(this.#waiting.get(canonicalId(callId)));
    this.#waiting.delete(canonicalId(callId));
  }

  close(): void {
    for (const timer of this.#waiting.values()) clearTimeout(timer);
    this.#waiting.clear();
  }

  async #late(callId: string): Promise<void> {
    this.#waiting.delete(canonicalId(callId));
    const record = await this.getCall(callId).catch(() => undefined);
    if (record && record.state !== 'incoming') return;
    const listeners = this.listeners();
    this.logger.warn(
      { callId, listeners },
      `incoming call ${callId} was not answered, rejected or redirected within ${this.deadlineMs / 1000} s; Graph ends it (408/1106). ` +
        (listeners === 0 ? 'No incomingCall listener is registered.' : `${listeners} incomingCall listener(s) ran without answering it.`),
    );
  }
}
