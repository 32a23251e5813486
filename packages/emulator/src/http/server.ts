import { isIP } from 'node:net';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorLogger } from '../options.js';
import { readJsonBody } from './body.js';
import { GraphHttpError, graphErrorBody } from './errors.js';
import { decodeParams, requestPath } from './request-target.js';

/** What a route handler sees of a request. */
export interface RequestContext {
  readonly method: string;
  readonly path: string;
  /** Named groups of the route's pattern (`version`, `callId`, ...), percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** The parsed JSON body (at most `MAX_JSON_DEPTH` deep), or undefined when the request had none. */
  readonly body: unknown;
  readonly headers: IncomingHttpHeaders;
  /** The query string (only the control API reads it). */
  readonly query: URLSearchParams;
}

/**
 * What a route handler answers. A thrown {@link GraphHttpError} becomes a Graph error body.
 * A `Buffer` body is sent as it is (set its `Content-Type`); anything else as JSON.
 */
export interface HttpResult {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Takes over the response instead (an event stream): writes the head and the body itself. */
  stream?: (res: ServerResponse) => void;
}

/** One answered request, for the event stream and the CLI. */
export interface AnsweredRequest {
  /** When it was answered (ms since the epoch). */
  time: number;
  /** The HTTP method. */
  method: string;
  /** The request path. */
  path: string;
  /** The status the emulator answered. */
  status: number;
  /** The parsed JSON body, when it had one. */
  body?: unknown;
}

/** How the server reports what it answered, and which paths answer errors without Graph's `innerError`. */
export interface ServerHooks {
  onAnswered?: (request: AnsweredRequest) => void;
  /** Paths starting with this answer `{ error: { code, message } }`. */
  plainErrorPrefix?: string;
}

/** One route: a method and a path pattern with named groups. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: RegExp;
  handler: (ctx: RequestContext) => HttpResult | Promise<HttpResult>;
}

/** Starts a `node:http` server dispatching to `routes`; resolves once it listens. */
export async function listen(
  routes: readonly Route[],
  host: string,
  port: number,
  logger: EmulatorLogger,
  hooks: ServerHooks = {},
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    // dispatch answers every error itself; this is the last line, so that no request can take the process down.
    dispatch(routes, req, res, logger, hooks).catch((error: unknown) => internalError(res, logger, `${req.method ?? '?'} ${req.url ?? ''}`, error));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

async function dispatch(routes: readonly Route[], req: IncomingMessage, res: ServerResponse, logger: EmulatorLogger, hooks: ServerHooks): Promise<void> {
  const method = req.method ?? 'GET';
  let path = req.url ?? '/';
  let body: unknown;
  const answered = (status: number): void => {
    try {
      hooks.onAnswered?.({ time: Date.now(), method, path, status, ...(body === undefined ? {} : { body }) });
    } catch {
      // A listener must not fail a request.
    }
  };
  try {
    path = requestPath(req.url);
    if (hooks.plainErrorPrefix !== undefined && path.startsWith(hooks.plainErrorPrefix)) refuseForeign(req, method);
    const matching = routes.map((route) => ({ route, match: route.pattern.exec(path) })).filter((m) => m.match !== null);
    const found = matching.find((m) => m.route.method === method);
    if (found === undefined) {
      if (matching.length > 0) throw new GraphHttpError(405, 'MethodNotAllowed', `${method} is not allowed on ${path}`);
      throw new GraphHttpError(404, 'NotFound', `No resource at ${path}`);
    }
    const params = decodeParams(found.match?.groups);
    body = await readJsonBody(req);
    logger(`${method} ${path}`, body === undefined ? {} : { body });
    const query = new URL(req.url ?? '/', 'http://emulator').searchParams;
    const result = await found.route.handler({ method, path, params, body, headers: req.headers, query });
    send(res, result);
    answered(result.status);
  } catch (error) {
    if (!(error instanceof GraphHttpError)) {
      internalError(res, logger, `${method} ${path}`, error);
      answered(500);
      return;
    }
    logger(`${method} ${path} -> ${error.status} ${error.code}`, { message: error.message });
    const plain = hooks.plainErrorPrefix !== undefined && path.startsWith(hooks.plainErrorPrefix);
    const errorBody = plain ? { error: { code: error.code, message: error.message } } : graphErrorBody(error.code, error.message);
    send(res, { status: error.status, headers: { ...error.headers }, body: errorBody });
    answered(error.status);
  }
}

/**
 * The control API drives calls and reads recording tokens: a web page of another site must not
 * reach it from the developer's browser. A cross-origin write carries an `Origin` that is not
 * the emulator's own; DNS rebinding comes with a `Host` that is a domain name, not an address.
 */
function refuseForeign(req: IncomingMessage, method: string): void {
  const host = req.headers.host ?? '';
  const hostname = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  if (hostname !== 'localhost' && isIP(hostname) === 0) throw new GraphHttpError(403, 'Forbidden', `the control API answers only requests to an address or localhost, not to ${host.slice(0, 100)}`);
  const origin = req.headers.origin;
  if (method !== 'GET' && method !== 'HEAD' && origin !== undefined) {
    let own = false;
    try {
      own = new URL(origin).host === host;
    } catch {
      own = false;
    }
    if (!own) throw new GraphHttpError(403, 'Forbidden', 'the control API refuses requests from other origins');
  }
}

/** 500 for what the emulator did not foresee; never throws (a socket that cannot take it is destroyed). */
function internalError(res: ServerResponse, logger: EmulatorLogger, request: string, error: unknown): void {
  try {
    logger(`${request} -> 500`, { error: String(error) });
    send(res, { status: 500, body: graphErrorBody('InternalServerError', 'The emulator failed on this request.') });
  } catch {
    res.destroy();
  }
}

function send(res: ServerResponse, result: HttpResult): void {
  if (res.headersSent || res.destroyed) return;
  if (result.stream !== undefined) {
    result.stream(res);
    return;
  }
  const headers: Record<string, string> = { ...result.headers };
  let payload: string | Buffer | undefined;
  if (Buffer.isBuffer(result.body)) {
    payload = result.body;
    headers['Content-Length'] = String(payload.length);
  } else if (result.body !== undefined) {
    payload = JSON.stringify(result.body);
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(payload));
  }
  res.writeHead(result.status, headers);
  res.end(payload);
}
