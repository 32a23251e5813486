/**
 * One timer per pending operation, at its deadline. Timers are unref'd so that they never keep
 * the process alive, and all of them go with `clear()`.
 */
export class OperationTimers {
  // By call, then by key: both strings come from the records, whose hashes V8 keeps, where one
  // joined key would be a new string to build and hash at every schedule and cancel.
  readonly #timers = new Map<string, Map<string, NodeJS.Timeout>>();

  /** Calls `fire` once `Date.now()` has reached `deadline` (epoch ms), unless cancelled first. One timer per key. */
  schedule(callId: string, key: string, deadline: number, fire: () => void): void {
    let ofCall = this.#timers.get(callId);
    if (ofCall?.has(key)) return;
    if (!ofCall) this.#timers.set(callId, (ofCall = new Map()));
    this.#arm(callId, ofCall, key, deadline, fire);
  }

  // libuv's loop clock lags Date.now(), so a timer can fire a little before the deadline it was
  // set for: until Date.now() has reached it, the timer is set again for what remains.
  #arm(callId: string, ofCall: Map<string, NodeJS.Timeout>, key: string, deadline: number, fire: () => void): void {
    const timer = setTimeout(() => {
      if (Date.now() < deadline) return this.#arm(callId, ofCall, key, deadline, fire);
      this.#forget(callId, ofCall, key);
      fire();
    }, Math.max(0, deadline - Date.now()));
    timer.unref();
    ofCall.set(key, timer);
    // A call whose timers all went may have been dropped meanwhile: hold this one's map again.
    if (this.#timers.get(callId) !== ofCall) this.#timers.set(callId, ofCall);
  }

  #forget(callId: string, ofCall: Map<string, NodeJS.Timeout>, key: string): void {
    ofCall.delete(key);
    if (ofCall.size === 0 && this.#timers.get(callId) === ofCall) this.#timers.delete(callId);
  }

  /** Cancels the timer of one operation. */
  cancel(callId: string, key: string): void {
    const ofCall = this.#timers.get(callId);
    const timer = ofCall?.get(key);
    if (!timer) return;
    clearTimeout(timer);
    this.#forget(callId, ofCall!, key);
  }

  /** How many timers are armed. */
  get size(): number {
    let n = 0;
    for (const ofCall of this.#timers.values()) n += ofCall.size;
    return n;
  }

  /** Cancels every timer. */
  clear(): void {
    for (const ofCall of this.#timers.values()) for (const timer of ofCall.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
