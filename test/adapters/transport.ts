import { connect } from 'node:net';

/** One request as a test sends it: headers, body parts, how the body is framed, whether it ever ends. */
export interface TestRequest {
  headers: Record<string, string>;
  /** The body, sent in these parts. */
  parts?: Array<string | Buffer>;
  /** `length` (the default) declares Content-Length, `chunked` sends Transfer-Encoding: chunked. */
  framing?: 'length' | 'chunked';
  /** The Content-Length to declare, when not the parts' total (a body that will never arrive in full). */
  declaredLength?: number;
  /** Keeps the body open after the parts: the client stalls. */
  stall?: boolean;
}

/** What came back: status 0 when nothing did within the wait. */
export interface TestAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Whether the connection is closed after the answer (for a direct call: whether the answer asks for it). */
  closed: boolean;
}

/** How the suite reaches an adapter. */
export type Transport = (request: TestRequest) => Promise<TestAnswer>;

/** How long a transport waits for an answer: beyond it, the answer is status 0 (never came). */
export const ANSWER_WAIT_MS = 5000;

/** The bytes of all parts together. */
export const totalLength = (parts: Array<string | Buffer>): number => parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0);

function parseResponse(received: Buffer): { answer: TestAnswer; complete: boolean } | undefined {
  const text = received.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = text.slice(end + 4);
  let complete: boolean;
  if (headers['transfer-encoding'] === 'chunked') {
    complete = body.includes('0\r\n\r\n');
    body = body.replace(/(^|\r\n)[0-9a-f]+\r\n/gi, '$1').replace(/\r\n$/g, '');
  } else complete = Buffer.byteLength(body, 'latin1') >= Number(headers['content-length'] ?? 0);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0);
  return { answer: { status, headers, body: Buffer.from(body, 'latin1').toString('utf8'), closed: false }, complete };
}

/**
 * A transport over a raw TCP connection to `127.0.0.1:port`, so that a test controls every byte:
 * it can declare a body and never send it. Resolves once a whole answer came and, when the answer
 * says `Connection: close`, the server closed the connection (or the wait ran out).
 */
export function socketTransport(port: number, path = '/api/calls'): Transport {
  return (request) =>
    new Promise((resolve) => {
      const parts = request.parts ?? [];
      const socket = connect(port, '127.0.0.1');
      const received: Buffer[] = [];
      let answer: TestAnswer | undefined;
      const finish = (closed: boolean): void => {
        clearTimeout(timer);
        socket.destroy();
        resolve(answer ? { ...answer, closed } : { status: 0, headers: {}, body: '', closed });
      };
      const timer = setTimeout(() => finish(false), ANSWER_WAIT_MS);
      socket.on('data', (data: Buffer) => {
        received.push(data);
        const parsed = parseResponse(Buffer.concat(received));
        if (!parsed?.complete || answer) return;
        answer = parsed.answer;
        if (answer.headers['connection'] !== 'close') finish(false);
      });
      socket.on('end', () => finish(true));
      socket.on('close', () => finish(true));
      socket.on('error', () => undefined); // a write after the server closed
      const framing: Record<string, string> =
        request.framing === 'chunked' ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(request.declaredLength ?? totalLength(parts)) };
      const head = Object.entries({ host: `127.0.0.1:${port}`, ...request.headers, ...framing })
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(`POST ${path} HTTP/1.1\r\n${head}\r\n`);
      for (const part of parts) {
        if (request.framing === 'chunked') socket.write(`${Buffer.byteLength(part).toString(16)}\r\n`);
        socket.write(part);
        if (request.framing === 'chunked') socket.write('\r\n');
      }
      if (request.framing === 'chunked' && !request.stall) socket.write('0\r\n\r\n');
    });
}
