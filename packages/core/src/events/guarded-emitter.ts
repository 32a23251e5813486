import { EventEmitter } from 'eventemitter3';
import type { CallingBotEventName, CallingBotEvents, ErrorContext } from './event-map.js';

type Name = EventEmitter.EventNames<CallingBotEvents>;
type Listener<T extends Name> = EventEmitter.EventListener<CallingBotEvents, T>;
type AnyListener = (...args: unknown[]) => unknown;

/**
 * A typed `eventemitter3` emitter whose listeners cannot hurt each other: a listener that
 * throws (or returns a rejected promise) is reported on `error`, and the other listeners still
 * run. Listeners are wrapped when added, so `off(name, fn)` works with the original function.
 */
export class GuardedEmitter extends EventEmitter<CallingBotEvents> {
  readonly #wrappers = new Map<string, WeakMap<AnyListener, AnyListener>>();

  /** Where errors go when nobody listens to `error`. */
  protected reportUnheardError(_error: Error, _context: ErrorContext): void {}

  /** Reports an error on the `error` event, or to `reportUnheardError` when nobody listens. */
  protected emitError(error: unknown, context: ErrorContext): void {
    const err = error instanceof Error ? error : new Error(String(error));
    if (this.listenerCount('error') === 0) return this.reportUnheardError(err, context);
    for (const listener of this.listeners('error')) {
      try {
        listener.call(this, err, context);
      } catch (inner) {
        this.reportUnheardError(inner instanceof Error ? inner : new Error(String(inner)), { ...context, event: 'error' });
      }
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
      wrapper = function (this: unknown, ...args: unknown[]): void {
        try {
          const result = original.apply(this, args);
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

  override addListener<T extends Name>(event: T, fn: Listener<T>, context?: unknown): this {
    return super.addListener(event, this.#guard(event, fn), context);
  }

  override once<T extends Name>(event: T, fn: Listener<T>, context?: unknown): this {
    return super.once(event, this.#guard(event, fn), context);
  }

  override off<T extends Name>(event: T, fn?: Listener<T>, context?: unknown, once?: boolean): this {
    return super.off(event, this.#wrapped(event, fn), context, once);
  }

  override removeListener<T extends Name>(event: T, fn?: Listener<T>, context?: unknown, once?: boolean): this {
    return super.removeListener(event, this.#wrapped(event, fn), context, once);
  }
}
