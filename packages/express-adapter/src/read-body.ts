import type { IncomingMessage } from 'node:http';

/** Why a body could not be read. */
export type ReadBodyFailure = 'too_large' | 'aborted';

/**
 * Reads a request body up to `limit` bytes. Stops at the limit rather than buffering a huge
 * body, and trusts no Content-Length it has not counted.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | ReadBodyFailure> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too_large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: Buffer | ReadBodyFailure): void => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        done('too_large');
      } else chunks.push(chunk);
    };
    const onEnd = (): void => done(Buffer.concat(chunks, size));
    const onError = (): void => done('aborted');
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
