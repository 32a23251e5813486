import type { Logger } from '@graph-comms/core';
import { Redis, type Cluster } from 'ioredis';
import { knownNodes, type ClusterNodeAddress } from './cluster.js';
import { quit, reconnectDelay } from './connection.js';
import type { OpenSubscription, Subscription } from './subscription.js';

/**
 * Subscriptions on a Redis Cluster. PUBLISH reaches the subscribers of every node, so one
 * connection to any node (master or replica) hears every outcome. When that node goes away the
 * subscription moves to the next node the cluster client knows, and `onResubscribed` tells that
 * outcomes may have been missed meanwhile (which ioredis's own cluster subscriber does not tell).
 */
export function clusterSubscriptions(cluster: Cluster, seeds: ClusterNodeAddress[], commandTimeoutMs: number, logger: Logger): OpenSubscription {
  return (channel, onMessage, onResubscribed) => new RotatingSubscription(cluster, seeds, commandTimeoutMs, logger, channel, onMessage, onResubscribed);
}

class RotatingSubscription implements Subscription {
  readonly subscribed: Promise<void>;
  #resolve!: () => void;
  #current: Redis | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failures = 0;
  #next = Math.floor(Math.random() * 1024); // spreads the processes' subscribers over the nodes
  #everSubscribed = false;
  #closed = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly seeds: ClusterNodeAddress[],
    private readonly commandTimeoutMs: number,
    private readonly logger: Logger,
    private readonly channel: string,
    private readonly onMessage: (message: string) => void,
    private readonly onResubscribed: () => void,
  ) {
    this.subscribed = new Promise((resolve) => (this.#resolve = resolve));
    this.#connect();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    if (this.#current) await quit(this.#current, this.commandTimeoutMs);
  }

  /** The nodes to try, those the cluster client found first. */
  #candidates(): ClusterNodeAddress[] {
    const all = [...knownNodes(this.cluster), ...this.seeds];
    return all.filter((node, i) => all.findIndex((n) => n.host === node.host && n.port === node.port) === i);
  }

  #connect(): void {
    if (this.#closed) return;
    const candidates = this.#candidates();
    const node = candidates[this.#next++ % Math.max(1, candidates.length)];
    if (!node) return this.#retry();
    const subscriber = new Redis({ ...this.cluster.options.redisOptions, host: node.host, port: node.port, enableOfflineQueue: true, maxRetriesPerRequest: null, retryStrategy: () => null, lazyConnect: false });
    this.#current = subscriber;
    subscriber.on('error', () => undefined); // each loss is handled on 'end'
    subscriber.on('message', (from: string, message: string) => {
      if (from === this.channel) this.onMessage(message);
    });
    subscriber.once('end', () => {
      if (this.#current === subscriber) this.#current = undefined;
      this.#retry();
    });
    subscriber.subscribe(this.channel).then(
      () => {
        this.#failures = 0;
        if (this.#everSubscribed) this.onResubscribed();
        this.#everSubscribed = true;
        this.#resolve();
      },
      () => subscriber.disconnect(),
    );
  }

  #retry(): void {
    if (this.#closed) return;
    this.#failures += 1;
    if (this.#failures === 1 && this.#everSubscribed) this.logger.warn({ connection: 'outcomes' }, 'lost the outcome subscription on a Redis Cluster node; moving it to another node');
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#connect(), reconnectDelay(this.#failures));
  }
}
