import type { ServerResponse } from 'node:http';

/** How often a comment line keeps idle event streams (and proxies) open. */
export const KEEP_ALIVE_MS = 15_000;

/** Most bytes an event stream may have waiting for a client that does not read; past it the client is dropped. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * One Server-Sent Events client: its socket and nothing else. Events are written
 * as they come (no buffering of ours); a client whose unread output passes
 * `maxBufferedBytes` is disconnected, so a stalled reader cannot grow the
 * emulator's memory.
 */
export class SseClient {
  private readonly keepAlive: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly onClose: (client: SseClient) => void,
    private readonly maxBufferedBytes = MAX_BUFFERED_BYTES,
  ) {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    res.socket?.setTimeout(0);
    res.once('close', () => this.close());
    this.keepAlive = setInterval(() => this.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    this.keepAlive.unref();
    this.write('retry: 1000\n\n');
  }

  /** Sends one event (`data` already JSON). */
  send(event: string, data: string): void {
    this.write(`event: ${event}\ndata: ${data}\n\n`);
  }

  /** Ends the stream and forgets the client. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    this.onClose(this);
    if (!this.res.destroyed) this.res.destroy();
  }

  private write(chunk: string): void {
    if (this.closed) return;
    if (this.res.destroyed || this.res.writableLength > this.maxBufferedBytes) {
      this.close();
      return;
    }
    this.res.write(chunk);
  }
}
