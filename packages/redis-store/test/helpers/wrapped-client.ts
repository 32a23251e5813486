import type { Redis } from 'ioredis';

/** What a wrapped client saw: each script it was asked to run (by SHA-1) and each other command, in order. */
export interface Wrapped {
  client: Redis;
  /** `evalsha:<sha>` or the command's name, in the order they were asked for. */
  sent: string[];
  /** Called before a script is sent; the script waits for what it returns. */
  hold?: (sha: string) => Promise<void> | void;
}

const COMMANDS = new Set(['zadd', 'zrem', 'zrangebyscore', 'hget', 'hgetall', 'set', 'del', 'publish']);

/**
 * An ioredis client for a store under test that records what the store asks of Redis and can
 * hold a script back (e.g. a write, between its read and its send), so that a test interleaves
 * other writers at an exact point. It forwards everything else to the real client.
 */
export function wrap(redis: Redis): Wrapped {
  const wrapped: Wrapped = { client: undefined as unknown as Redis, sent: [] };
  wrapped.client = new Proxy(redis, {
    get(target, property) {
      if (property === 'evalsha') {
        return async (sha: string, ...rest: Array<string | number>) => {
          wrapped.sent.push(`evalsha:${sha}`);
          await wrapped.hold?.(sha);
          return target.evalsha(sha, ...(rest as [number, ...string[]]));
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        if (typeof property === 'string' && COMMANDS.has(property)) wrapped.sent.push(property);
        return method.apply(target, args);
      };
    },
  });
  return wrapped;
}
