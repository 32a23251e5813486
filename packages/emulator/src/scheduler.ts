/**
 * Timers and pending work, in one place, so that `idle()` knows when nothing is
 * left to send and `close()` can stop everything that is still waiting.
 */
export class Scheduler {
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly watches = new Set<NodeJS.Timeout>();
  private pending = 0;
  private waiters: Array<() => void> = [];
  private closedFlag = false;

  /** True once {@link close} has run: work that wakes up afterwards must stop. */
  get closed(): boolean {
    return this.closedFlag;
  }

  /** Counts a unit of work as pending until the returned function is called (once). */
  begin(): () => void {
    this.pending += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.pending -= 1;
      if (this.pending === 0) this.wakeIdle();
    };
  }

  /** Runs `task` after `ms`; pending for idle() until it has run (and its promise settled). */
  after(ms: number, task: () => void | Promise<void>): void {
    if (this.closedFlag) return;
    const end = this.begin();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      Promise.resolve()
        .then(task)
        .catch(() => undefined)
        .finally(end);
    }, ms);
    this.timers.set(timer, end);
  }

  /** Resolves after `ms`, or at once when the scheduler closes (callers then check {@link closed}). */
  sleep(ms: number): Promise<void> {
    if (this.closedFlag) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }

  /**
   * Runs `task` after `ms` unless cancelled first (call the returned function).
   * Unlike {@link after}, a watch is not pending work: `idle()` does not wait for it
   * (a deadline such as the answer timeout or the keepAlive timeout may never fire).
   */
  watch(ms: number, task: () => void): () => void {
    if (this.closedFlag) return () => undefined;
    const timer = setTimeout(() => {
      this.watches.delete(timer);
      if (this.closedFlag) return;
      try {
        task();
      } catch {
        // A watch must not take the process down.
      }
    }, ms);
    timer.unref();
    this.watches.add(timer);
    return () => {
      clearTimeout(timer);
      this.watches.delete(timer);
    };
  }

  /** Resolves when no work is pending. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Cancels every timer; pending sleeps resolve so that their owners can notice the close. */
  close(): void {
    this.closedFlag = true;
    for (const [timer, release] of this.timers) {
      clearTimeout(timer);
      release();
    }
    this.timers.clear();
    for (const timer of this.watches) clearTimeout(timer);
    this.watches.clear();
  }

  private wakeIdle(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
