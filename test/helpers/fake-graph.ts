import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@microsoft/microsoft-graph-client';

/** A request the fake Graph received. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** What the fake answers: status, headers, JSON body. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** The script decides each answer; it may first do things (post callbacks) before answering. */
export type Script = (request: Received) => Answer | Promise<Answer>;

/**
 * A scripted stand-in for Graph's REST endpoint on 127.0.0.1, for unit tests of the invite
 * client. The end-to-end tests use the emulator package instead.
 */
export class FakeGraph {
  readonly received: Received[] = [];
  script: Script = () => ({ status: 500, body: { error: { code: 'noScript', message: 'no script' } } });
  private constructor(private readonly server: Server, readonly url: string) {}

  static async start(): Promise<FakeGraph> {
    const holder: { fake?: FakeGraph } = {};
    const server = createServer((req, res) => void holder.fake!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.fake = new FakeGraph(server, `http://127.0.0.1:${port}/`);
    return holder.fake;
  }

  /** A real Graph client aimed at this server. */
  client(): Client {
    return Client.init({ baseUrl: this.url, authProvider: (done) => done(null, 'test-access-token') });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const request: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : undefined };
    this.received.push(request);
    const answer = await this.script(request);
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
