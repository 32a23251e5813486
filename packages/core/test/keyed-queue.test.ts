import { describe, it, expect } from '@jest/globals';
import { KeyedQueue } from '@graph-comms/core';

describe('KeyedQueue', () => {
  it('runs tasks of one key one at a time in order, other keys alongside, and forgets idle keys', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const task = (name: string, ms: number) => () => new Promise<string>((resolve) => setTimeout(() => (log.push(name), resolve(name)), ms));
    const done = Promise.all([queue.run('a', task('a1', 20)), queue.run('a', task('a2', 1)), queue.run('b', task('b1', 5))]);
    expect(queue.activeKeys).toBe(2);
    await expect(done).resolves.toEqual(['a1', 'a2', 'b1']);
    expect(log).toEqual(['b1', 'a1', 'a2']);
    await new Promise((r) => setImmediate(r));
    expect(queue.activeKeys).toBe(0);
  });

  it('goes on with the next task when one fails', async () => {
    const queue = new KeyedQueue();
    const failed = queue.run('a', () => Promise.reject(new Error('boom')));
    const next = queue.run('a', async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });
});
