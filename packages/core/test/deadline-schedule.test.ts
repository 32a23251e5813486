import { describe, it, expect } from '@jest/globals';
import { DeadlineSchedule } from '../src/store/deadline-schedule.js';

/** A deterministic shuffle (xorshift), so that a failure can be replayed. */
function shuffled<T>(items: T[], seed = 1): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = (x >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('DeadlineSchedule', () => {
  it('hands out due keys earliest first, at most limit at a time, and moves each to retryAt', () => {
    const schedule = new DeadlineSchedule();
    for (const n of shuffled([5, 1, 4, 2, 3, 9])) schedule.schedule(`k${n}`, n * 10);
    expect(schedule.claimDue(50, 1000, 3)).toEqual(['k1', 'k2', 'k3']);
    expect(schedule.claimDue(50, 1000, 3)).toEqual(['k4', 'k5']);
    expect(schedule.claimDue(50, 1000, 3)).toEqual([]);
    expect(schedule.dueAt('k1')).toBe(1000);
    expect(schedule.dueAt('k9')).toBe(90);
    expect(schedule.claimDue(999, 2000, 10)).toEqual(['k9']);
    expect(schedule.claimDue(1000, 2000, 10).sort()).toEqual(['k1', 'k2', 'k3', 'k4', 'k5']); // all due at 1000: any order
    expect(schedule.size).toBe(6);
    expect(schedule.claimDue(5000, 6000, 0)).toEqual([]);
  });

  it("schedules in each mode: 'set' replaces, 'ifAbsent' keeps, 'ifLater' only moves later; each sets an absent key", () => {
    const schedule = new DeadlineSchedule();
    schedule.schedule('set', 10);
    schedule.schedule('set', 5, 'set');
    schedule.schedule('absent', 10, 'ifAbsent');
    schedule.schedule('absent', 5, 'ifAbsent');
    schedule.schedule('absent', 50, 'ifAbsent');
    schedule.schedule('later', 10, 'ifLater');
    schedule.schedule('later', 5, 'ifLater');
    schedule.schedule('later', 20, 'ifLater');
    expect([schedule.dueAt('set'), schedule.dueAt('absent'), schedule.dueAt('later')]).toEqual([5, 10, 20]);
    // Each key once, at its latest time, however often it moved.
    expect(schedule.claimDue(100, 200, 10)).toEqual(['set', 'absent', 'later']);
  });

  it('cancels a key, and with dueAt only while it is due exactly then', () => {
    const schedule = new DeadlineSchedule();
    schedule.schedule('a', 10);
    schedule.schedule('b', 20);
    schedule.cancel('a', 11);
    expect(schedule.dueAt('a')).toBe(10);
    schedule.cancel('a', 10);
    expect(schedule.dueAt('a')).toBeUndefined();
    expect(schedule.claim('b', 20, 100)).toBe(true);
    schedule.cancel('b', 20); // moved by the claim: kept
    expect(schedule.dueAt('b')).toBe(100);
    schedule.cancel('b');
    schedule.cancel('never');
    expect(schedule.size).toBe(0);
    expect(schedule.claimDue(Infinity, 0, 10)).toEqual([]);
  });

  it('claims one key only when due by now', () => {
    const schedule = new DeadlineSchedule();
    schedule.schedule('a', 10);
    expect(schedule.claim('a', 9, 100)).toBe(false);
    expect(schedule.claim('a', 10, 100)).toBe(true);
    expect(schedule.claim('a', 10, 100)).toBe(false);
    expect(schedule.claim('missing', 10, 100)).toBe(false);
    expect(schedule.claimDue(100, 200, 10)).toEqual(['a']);
  });

  it('never hands a key out twice in one claim, whatever retryAt is or however often the key came back to a time', () => {
    const schedule = new DeadlineSchedule();
    schedule.schedule('a', 10);
    schedule.schedule('a', 20);
    schedule.schedule('a', 10); // two heap entries for (a, 10)
    schedule.schedule('b', 15);
    expect(schedule.claimDue(100, 10, 10)).toEqual(['a', 'b']); // retryAt ≤ now
    expect(schedule.claimDue(100, 10, 10).sort()).toEqual(['a', 'b']); // both due at 10 now
  });

  it('drops stale heap entries once they outnumber the live ones', () => {
    const schedule = new DeadlineSchedule();
    for (let i = 0; i < 100; i++) schedule.schedule(`k${i}`, i);
    for (let round = 1; round <= 50; round++) {
      for (let i = 0; i < 100; i++) schedule.schedule(`k${i}`, i + round * 1000);
      expect(schedule.heapSize).toBeLessThanOrEqual(2 * schedule.size + 1);
    }
    for (let i = 0; i < 99; i++) schedule.cancel(`k${i}`);
    expect(schedule.size).toBe(1);
    expect(schedule.heapSize).toBeLessThanOrEqual(3);
    expect(schedule.claimDue(Infinity, 0, 10)).toEqual(['k99']);
    schedule.clear();
    expect([schedule.size, schedule.heapSize]).toEqual([0, 0]);
  });

  it('keeps 100 000 deadlines in order through repeated claims, moves and cancels', () => {
    const n = 100_000;
    const schedule = new DeadlineSchedule();
    const due = new Map<string, number>();
    for (const i of shuffled(Array.from({ length: n }, (_, i) => i), 7)) {
      schedule.schedule(`call-${i}`, i, 'ifAbsent');
      due.set(`call-${i}`, i);
    }
    for (let i = 0; i < n; i += 3) {
      schedule.schedule(`call-${i}`, n + i, 'ifLater'); // a third moved later
      due.set(`call-${i}`, n + i);
    }
    for (let i = 1; i < n; i += 10) {
      schedule.cancel(`call-${i}`);
      due.delete(`call-${i}`);
    }
    const expected = [...due.entries()].sort((a, b) => a[1] - b[1]).map(([key]) => key);
    const claimed: string[] = [];
    for (let batch = schedule.claimDue(2 * n, 10 * n, 1000); batch.length > 0; batch = schedule.claimDue(2 * n, 10 * n, 1000)) claimed.push(...batch);
    expect(claimed).toEqual(expected);
    expect(schedule.size).toBe(due.size);
    expect(schedule.heapSize).toBeLessThanOrEqual(2 * schedule.size);
    expect(schedule.claimDue(10 * n, 0, n).length).toBe(due.size);
  });

  it('refuses bad input with a clear error, changing nothing', () => {
    const schedule = new DeadlineSchedule();
    schedule.schedule('a', 10);
    expect(() => schedule.schedule('a', Number.NaN)).toThrow('dueAt must be a number, got NaN');
    expect(() => schedule.schedule('a', 20, 'sometimes' as never)).toThrow("unknown deadline mode \"sometimes\": expected 'set', 'ifAbsent' or 'ifLater'");
    expect(() => schedule.schedule(42 as never, 20)).toThrow('a deadline key must be a string, got number');
    expect(() => schedule.claimDue(Number.NaN, 0, 1)).toThrow('now must be a number');
    expect(() => schedule.claim('a', 10, Number.NaN)).toThrow('retryAt must be a number');
    expect(() => schedule.claimDue(10, 0, Number.NaN)).toThrow('limit must be a number');
    expect(schedule.dueAt('a')).toBe(10);
    expect(schedule.size).toBe(1);
  });
});
