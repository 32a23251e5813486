import { describe, it, expect } from '@jest/globals';
import { ExpiryQueue } from '../../src/http/expiry-queue.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ExpiryQueue', () => {
  it('fires each wait once its time has passed, in the order they were added', async () => {
    const queue = new ExpiryQueue(40);
    const fired: Array<[string, number]> = [];
    const start = Date.now();
    queue.add(() => fired.push(['a', Date.now() - start]));
    await sleep(20);
    queue.add(() => fired.push(['b', Date.now() - start]));
    await sleep(100);
    expect(fired.map(([name]) => name)).toEqual(['a', 'b']);
    expect(fired[0]![1]).toBeGreaterThanOrEqual(38);
    expect(fired[1]![1]).toBeGreaterThanOrEqual(58);
    expect(queue.size).toBe(0);
  });

  it('never fires a cancelled wait, and drops cancelled waits from the front at once', async () => {
    const queue = new ExpiryQueue(30);
    const fired: string[] = [];
    const a = queue.add(() => fired.push('a'));
    const b = queue.add(() => fired.push('b'));
    queue.add(() => fired.push('c'));
    b.cancel();
    expect(queue.size).toBe(3); // b is behind a: skipped later
    a.cancel();
    expect(queue.size).toBe(1); // a and b left from the front
    await sleep(80);
    expect(fired).toEqual(['c']);
  });

  it('keeps working after it emptied, and a wait cancelled twice or after firing changes nothing', async () => {
    const queue = new ExpiryQueue(10);
    const fired: string[] = [];
    const first = queue.add(() => fired.push('first'));
    await sleep(40);
    first.cancel();
    first.cancel();
    queue.add(() => fired.push('second'));
    await sleep(40);
    expect(fired).toEqual(['first', 'second']);
    expect(queue.size).toBe(0);
  });

  it('holds no more than the waits still open, over many that end in order', () => {
    const queue = new ExpiryQueue(10_000);
    for (let i = 0; i < 5000; i += 1) queue.add(() => undefined).cancel();
    expect(queue.size).toBe(0);
    const open = queue.add(() => undefined);
    for (let i = 0; i < 5000; i += 1) queue.add(() => undefined).cancel();
    expect(queue.size).toBe(5001); // behind an open wait: skipped once it ends
    open.cancel();
    expect(queue.size).toBe(0);
  });
});
