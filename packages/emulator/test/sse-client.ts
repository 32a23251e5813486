import { get, type ClientRequest, type IncomingMessage } from 'node:http';

/** One Server-Sent Event as read off the stream. */
export interface SseEvent {
  event: string;
  data: unknown;
}

/** A test client of `GET /_emulator/events`: reads and parses every event, and waits for the ones a test expects. */
export class EventStream {
  readonly events: SseEvent[] = [];
  private buffer = '';
  private waiters: Array<() => void> = [];

  private constructor(
    private readonly request: ClientRequest,
    readonly response: IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.take(chunk));
  }

  static open(url: string): Promise<EventStream> {
    return new Promise((resolve, reject) => {
      const request = get(url, (response) => resolve(new EventStream(request, response)));
      request.once('error', reject);
    });
  }

  /** Waits for an event named `event` that `match` accepts (from the start of the stream), failing after `timeoutMs`. */
  async next<T = unknown>(event: string, match: (data: T) => boolean = () => true, timeoutMs = 3000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find((e) => e.event === event && match(e.data as T));
      if (found !== undefined) return found.data as T;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no "${event}" event matched; got ${this.events.map((e) => e.event).join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.request.destroy();
  }

  private take(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) this.events.push({ event, data: JSON.parse(data.join('\n')) as unknown });
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
