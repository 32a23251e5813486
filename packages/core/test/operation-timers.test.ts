import { describe, it, expect } from '@jest/globals';
import { OperationTimers } from '../src/bot/operation-timers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('OperationTimers', () => {
  it('fires each key once at its deadline, never a cancelled one, and holds nothing afterwards', async () => {
    const timers = new OperationTimers();
    const fired: string[] = [];
    const at = Date.now() + 30;
    timers.schedule('call-1/c:a', at, () => fired.push('1a'));
    timers.schedule('call-1/c:a', at, () => fired.push('1a again')); // one timer per key
    timers.schedule('call-1/c:b', at, () => fired.push('1b'));
    timers.schedule('call-2/c:a', at, () => fired.push('2a'));
    expect(timers.size).toBe(3);
    timers.cancel('call-1/c:b');
    timers.cancel('call-3/c:a'); // nothing there: no effect
    expect(timers.size).toBe(2);
    await sleep(80);
    expect(fired.sort()).toEqual(['1a', '2a']);
    expect(timers.size).toBe(0);
  });

  it('never fires before Date.now() reached the deadline, and clear() cancels everything', async () => {
    const timers = new OperationTimers();
    let firedAt = 0;
    const deadline = Date.now() + 25;
    timers.schedule('call/c:x', deadline, () => (firedAt = Date.now()));
    timers.schedule('call/c:y', deadline, () => (firedAt = -1));
    timers.cancel('call/c:y');
    timers.schedule('other/c:z', deadline, () => (firedAt = -2));
    timers.clear();
    timers.schedule('call/c:x', deadline, () => (firedAt = Date.now()));
    await sleep(70);
    expect(firedAt).toBeGreaterThanOrEqual(deadline);
    expect(timers.size).toBe(0);
  });
});
