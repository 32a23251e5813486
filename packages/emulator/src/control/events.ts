import type { ServerResponse } from 'node:http';
import type { DeliveryRecord } from '../callbacks/delivery.js';
import type { CallSnapshot } from '../calls/snapshot.js';
import type { AnsweredRequest } from '../http/server.js';
import { deliverySnapshot } from './delivery-snapshot.js';
import { SseClient } from './sse.js';

/** What `event: hello` carries. */
export interface HelloEvent {
  /** The bot's app id the emulator signs tokens for. */
  appId: string;
  /** The emulator's tenant id. */
  tenantId: string;
  /** The emulator's base URL. */
  baseUrl: string;
}

/**
 * The emulator's event stream (`GET /_emulator/events`): `call`, `delivery` and
 * `request` events to every connected client. Nothing is kept for a client but
 * its socket; with no client connected, nothing is computed.
 */
export class EventHub {
  private readonly clients = new Set<SseClient>();
  private readonly touched = new Set<string>();
  private flush: NodeJS.Immediate | undefined;

  constructor(
    private readonly callSnapshot: (id: string) => CallSnapshot | undefined,
    private readonly maxBufferedBytes?: number,
  ) {}

  /** Number of connected clients. */
  get size(): number {
    return this.clients.size;
  }

  /** Makes `res` an event stream, starting with `hello`. */
  connect(res: ServerResponse, hello: HelloEvent): void {
    const client = new SseClient(res, (c) => this.clients.delete(c), this.maxBufferedBytes);
    this.clients.add(client);
    client.send('hello', JSON.stringify(hello));
  }

  /** A call changed: one `call` event with its snapshot, once the current turn of work is done (changes coalesce). */
  callChanged(id: string): void {
    if (this.clients.size === 0) return;
    this.touched.add(id);
    this.flush ??= setImmediate(() => {
      this.flush = undefined;
      const ids = [...this.touched];
      this.touched.clear();
      for (const callId of ids) {
        const call = this.callSnapshot(callId);
        if (call !== undefined) this.publish('call', call);
      }
    });
  }

  /** A delivery was queued, or one of its attempts ended. */
  deliveryChanged(record: DeliveryRecord): void {
    if (this.clients.size === 0) return;
    this.publish('delivery', deliverySnapshot(record));
  }

  /** The emulator answered a Graph API request. */
  requestAnswered(request: AnsweredRequest): void {
    if (this.clients.size === 0) return;
    this.publish('request', request);
  }

  /** Disconnects every client. */
  close(): void {
    if (this.flush !== undefined) clearImmediate(this.flush);
    this.flush = undefined;
    this.touched.clear();
    for (const client of [...this.clients]) client.close();
  }

  private publish(event: string, data: unknown): void {
    const json = JSON.stringify(data);
    for (const client of [...this.clients]) client.send(event, json);
  }
}
