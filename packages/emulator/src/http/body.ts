import type { IncomingMessage } from 'node:http';
import { GraphHttpError, badRequest } from './errors.js';
import { nestedDeeperThan } from './json-depth.js';

/** Largest request body the emulator reads (Graph's own requests are a few kB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Deepest JSON nesting the emulator accepts (Graph's payloads are under 10 levels deep). */
export const MAX_JSON_DEPTH = 64;

/**
 * Reads a request's JSON body: undefined when it is empty; 413 over
 * {@link MAX_BODY_BYTES}; 400 when it nests deeper than {@link MAX_JSON_DEPTH}
 * (checked before parsing, so nothing later walks a deep value) or is not JSON.
 */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = (await readBody(req)).toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return undefined;
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) throw badRequest(`The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}

function tooLarge(): GraphHttpError {
  // The rest of the body is not read: the connection closes after the answer.
  return new GraphHttpError(413, 'RequestEntityTooLarge', `The request body is larger than ${MAX_BODY_BYTES} bytes.`, { Connection: 'close' });
}

/** The raw body, refused with 413 as soon as it (or its Content-Length) passes the limit. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer | string): void => {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += buffer.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        reject(tooLarge());
        return;
      }
      chunks.push(buffer);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
    req.once('close', () => reject(new Error('The request was aborted.')));
  });
}
