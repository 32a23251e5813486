import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy saw. */
export interface ProxyStats {
  /** Requests answered by a backend, per backend port. */
  answered: Map<number, number>;
  /** Times a backend could not be reached and another one was tried. */
  failovers: number;
}

/**
 * A load balancer for the test: callbacks go to the backends in turn, so that every one gets
 * work; a backend that cannot be reached (its process was killed) is skipped and the next one
 * tried. Whatever the
 * backend answers (202, 503...) goes back to the caller unchanged.
 */
export class Proxy {
  readonly stats: ProxyStats = { answered: new Map(), failovers: 0 };
  #turn = 0;
  private constructor(private readonly server: Server, readonly url: string, private readonly backends: number[]) {}

  static async start(backends: number[]): Promise<Proxy> {
    const holder: { proxy?: Proxy } = {};
    const server = createServer((req, res) => {
      void holder.proxy!.forward(req).then(({ status, headers, body }) => {
        res.writeHead(status, headers);
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.proxy = new Proxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`, backends);
    return holder.proxy;
  }

  private async forward(req: IncomingMessage): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const first = this.#turn++ % this.backends.length;
    const order = [...this.backends.slice(first), ...this.backends.slice(0, first)];
    for (const port of order) {
      try {
        const answer = await send(port, req, body);
        this.stats.answered.set(port, (this.stats.answered.get(port) ?? 0) + 1);
        return answer;
      } catch {
        this.stats.failovers++;
      }
    }
    return { status: 502, headers: {}, body: Buffer.from('no backend') };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function send(port: number, req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': req.headers['content-type'] ?? 'application/json', 'content-length': String(body.length) };
    const out = request({ host: '127.0.0.1', port, method: 'POST', path: req.url, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const type = res.headers['content-type'];
        resolve({ status: res.statusCode ?? 0, headers: type ? { 'content-type': type } : {}, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    out.on('error', reject);
    out.end(body);
  });
}
