import type { IncomingMessage } from 'node:http';

/** Why a body could not be read. */
export type ReadBodyFailure = 'too_large' | 'timeout' | 'aborted';

/** Whether the request declares a `Content-Length` above `limit`: refused without reading a byte. */
export function declaresTooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) && declared > limit;
}

/**
 * Reads a request body up to `limit` bytes and within `timeoutMs` of the call. Stops at the limit
 * rather than buffering a huge body, trusts no Content-Length it has not counted, and gives up on
 * a body still incomplete when the time is up. After a failure the stream is left paused: the
 * caller answers with `Connection: close` rather than drain it.
 */
export function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<Buffer | ReadBodyFailure> {
  if (declaresTooLarge(req, limit)) return Promise.resolve('too_large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: Buffer | ReadBodyFailure): void => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onError);
      if (typeof result === 'string') {
        req.pause();
        chunks.length = 0; // nothing of a refused body outlives the refusal
      }
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) done('too_large');
      else chunks.push(chunk);
    };
    const onEnd = (): void => done(Buffer.concat(chunks, size));
    const onError = (): void => done('aborted');
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onError);
  });
}

/** `1048576`, `'1mb'`, `'512kb'`, `'100b'` → bytes. */
export function parseLimit(limit: number | string): number {
  if (typeof limit === 'number') {
    if (!Number.isFinite(limit) || limit <= 0) throw new TypeError('limit must be a positive number of bytes');
    return Math.floor(limit);
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(limit);
  if (!match) throw new TypeError(`limit ${JSON.stringify(limit)} is not a size such as 1048576 or '1mb'`);
  const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
  return Math.floor(Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()]!);
}
