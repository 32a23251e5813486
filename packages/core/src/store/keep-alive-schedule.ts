/**
 * When each call's next keepAlive is due, in one process's memory: the memory store's schedule,
 * and the bot's own for a store that keeps none. Claiming scans the calls: keepAlives are due
 * minutes apart, and a scan of 100 000 entries takes about a millisecond.
 */
export class KeepAliveSchedule {
  readonly #due = new Map<string, number>();

  /** Sets when the call's first keepAlive is due, unless it is scheduled already. */
  schedule(callId: string, dueAt: number): void {
    if (!this.#due.has(callId)) this.#due.set(callId, dueAt);
  }

  cancel(callId: string): void {
    this.#due.delete(callId);
  }

  /** Up to `limit` calls due by `now`, each moved to `nextDueAt`. */
  claim(now: number, nextDueAt: number, limit: number): string[] {
    const claimed: string[] = [];
    for (const [callId, dueAt] of this.#due) {
      if (claimed.length >= limit) break;
      if (dueAt > now) continue;
      this.#due.set(callId, nextDueAt);
      claimed.push(callId);
    }
    return claimed;
  }

  clear(): void {
    this.#due.clear();
  }
}
