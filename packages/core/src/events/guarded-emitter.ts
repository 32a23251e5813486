import { EventEmitter } from 'eventemitter3';
import type { CallingBotEventName, CallingBotEvents, ErrorContext } from './event-map.js';

type Name = EventEmitter.EventNames<CallingBotEvents>;
type Listener<T extends Name> = EventEmitter.EventListener<CallingBotEvents, T>;
type AnyListener = (...args: unknown[]) => unknown;

// Anything can be thrown; even turning it into text can throw (`Object.create(null)`).
function asError(value: unknown): Error {
  if (value instanceof Error) return value;
  try {
    return new Error(String(value));
  } catch {
    return new Error('a value that is not an Error was thrown');
  }
}

/**
 * A typed `eventemitter3` emitter whose listeners cannot hurt each other: a listener that
 * throws (or returns a rejected promise) is reported on `error`, and the other listeners still
 * run. Listeners are wrapped when added, so `off(name, fn)` works with the original function.
 */
export class GuardedEmitter extends EventEmitter<CallingBotEvents> {
  readonly #wrappers = new Map<string, WeakMap<AnyListener, AnyListener>>();

  /** Where errors go when nobody listens to `error` (or an `error` listener threw): the bot logs them. */
  protected reportUnheardError(_error: Error, _context: ErrorContext): void {}

  /** Reports an error on the `error` event, or to `reportUnheardError` when nobody listens. Never throws. */
  protected emitError(error: unknown, context: ErrorContext): void {
    const err = asError(error);
    if (this.listenerCount('error') === 0) return this.#unheard(err, context);
    const failed = (inner: unknown): void => this.#unheard(asError(inner), { ...context, event: 'error' });
    for (const listener of this.listeners('error')) {
      try {
        // An async `error` listener that rejects would otherwise be an unhandled rejection.
        const result: unknown = listener.call(this, err, context);
        if (result instanceof Promise) result.catch(failed);
      } catch (inner) {
        failed(inner);
      }
    }
  }

  // Errors are reported from timers and listener wrappers: a logger that throws there would
  // crash the process or cut a callback short, and there is nowhere left to report it.
  #unheard(error: Error, context: ErrorContext): void {
    try {
      this.reportUnheardError(error, context);
    } catch {
      // Deliberately dropped: see above.
    }
  }

  #guard<T extends Name>(event: T, fn: Listener<T>): Listener<T> {
    if (event === 'error') return fn;
    let byFn = this.#wrappers.get(event);
    if (!byFn) this.#wrappers.set(event, (byFn = new WeakMap()));
    const original = fn as unknown as AnyListener;
    let wrapper = byFn.get(original);
    if (!wrapper) {
      const report = (error: unknown): void => this.emitError(error, { source: 'listener', event: event as CallingBotEventName });
      // Every event has one payload: no rest array per emission.
      wrapper = function (this: unknown, payload: unknown): void {
        try {
          const result = original.call(this, payload);
          if (result instanceof Promise) result.catch(report);
        } catch (error) {
          report(error);
        }
      };
      byFn.set(original, wrapper);
    }
    return wrapper as unknown as Listener<T>;
  }

  #wrapped<T extends Name>(event: T, fn: Listener<T> | undefined): Listener<T> | undefined {
    if (!fn || event === 'error') return fn;
    return (this.#wrappers.get(event)?.get(fn as unknown as AnyListener) as unknown as Listener<T> | undefined) ?? fn;
  }

  override on<T extends Name>(event: T, fn: Listener<T>, context?: unknown): this {
    return super.on(event, this.#guard(event, fn), context);
  }

  /** Adds a listener, as `on` does. */
  override addListener<T extends Name>(event: T, fn: Listener<T>, context?: unknown): this {
    return super.addListener(event, this.#guard(event, fn), context);
  }

  override once<T extends Name>(event: T, fn: Listener<T>, context?: unknown): this {
    return super.once(event, this.#guard(event, fn), context);
  }

  /** Removes a listener added with `on`, `addListener` or `once`. */
  override off<T extends Name>(event: T, fn?: Listener<T>, context?: unknown, once?: boolean): this {
    return super.off(event, this.#wrapped(event, fn), context, once);
  }

  override removeListener<T extends Name>(event: T, fn?: Listener<T>, context?: unknown, once?: boolean): this {
    return super.removeListener(event, this.#wrapped(event, fn), context, once);
  }
}
