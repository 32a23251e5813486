import type { EmulatorContext } from '../context.js';
import type { CallRecord, CallTimer } from './registry.js';

/** Starts (or restarts) one of the call's deadlines; it is dropped when it fires. Not pending work for `idle()`. */
export function arm(ctx: EmulatorContext, call: CallRecord, name: CallTimer, ms: number, task: () => void): void {
  disarm(call, name);
  const cancel = ctx.scheduler.watch(ms, () => {
    call.timers.delete(name);
    task();
  });
  call.timers.set(name, cancel);
}

/** Cancels one deadline of the call, if it runs. */
export function disarm(call: CallRecord, name: CallTimer): void {
  call.timers.get(name)?.();
  call.timers.delete(name);
}

/** Cancels every deadline of the call (it ends). */
export function disarmAll(call: CallRecord): void {
  for (const cancel of call.timers.values()) cancel();
  call.timers.clear();
}
