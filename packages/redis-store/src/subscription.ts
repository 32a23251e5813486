import type { Logger } from '@graph-comms/core';
import type { Redis } from 'ioredis';
import { failFastOptions, quit, watchConnection } from './connection.js';

/** A subscription to the outcomes channel, on a connection of its own (a subscribed connection can do nothing else). */
export interface Subscription {
  /** Settles once the first subscription is in place. */
  readonly subscribed: Promise<void>;
  /** Quits its connection. */
  close(): Promise<void>;
}

/** Subscribes to `channel`: `onMessage` hears each message, `onResubscribed` each time the subscription came back after it was lost. */
export type OpenSubscription = (channel: string, onMessage: (message: string) => void, onResubscribed: () => void) => Subscription;

/**
 * Subscriptions on one Redis: a duplicate of `redis`, with its options. Unlike the command
 * connection it may queue its SUBSCRIBE until connected and never gives up on it: ioredis
 * subscribes again after each reconnect, and nothing else is ever sent on it.
 */
export function standaloneSubscriptions(redis: Redis, commandTimeoutMs: number, logger: Logger): OpenSubscription {
  return (channel, onMessage, onResubscribed) => {
    const subscriber = redis.duplicate({ ...failFastOptions(commandTimeoutMs), enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined, lazyConnect: false });
    watchConnection(subscriber, 'outcomes', logger);
    subscriber.on('message', (from: string, message: string) => {
      if (from === channel) onMessage(message);
    });
    // ioredis subscribes again by itself after every reconnect; subscribing once more and
    // waiting for Redis's answer tells when the subscription is really back.
    let readyBefore = false;
    subscriber.on('ready', () => {
      if (!readyBefore) {
        readyBefore = true;
        return;
      }
      subscriber.subscribe(channel).then(onResubscribed, () => undefined);
    });
    const subscribed = subscriber.subscribe(channel).then(() => undefined);
    subscribed.catch(() => undefined); // awaited (and reported) by whoever needs it
    return { subscribed, close: () => quit(subscriber, commandTimeoutMs) };
  };
}
