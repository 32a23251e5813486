import { GraphCommsError } from '../errors.js';
import { bodyIncomplete, bodyTimedOut, bodyTooLarge } from './body-failures.js';
import type { BodyRules } from './limits.js';

/** The parts of a fetch `Request` whose body is read; Azure Functions' `HttpRequest` fits too. */
export interface WebBodySource {
  /** The body as a stream, or null when there is none. */
  readonly body: ReadableStream<Uint8Array> | null;
  /** Whether the body was already consumed. */
  readonly bodyUsed?: boolean;
  /** Aborted when the client goes away. */
  readonly signal?: AbortSignal;
}

/** A web body being read, and whether it was read to its end (else answer with `Connection: close`). */
export interface WebBodyReader {
  /** Reads the whole body; rejects as {@link readNodeBody} does. Call it at most once. */
  read(): Promise<Uint8Array>;
  /** True once the body was read to its end (or there was none). */
  readonly complete: boolean;
}

const concat = (chunks: Uint8Array[], size: number): Uint8Array => {
  const whole = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) whole.set(chunk, (at += chunk.byteLength) - chunk.byteLength);
  return whole;
};

/**
 * A reader of a fetch body stream with the limit and the timeout of `rules`, for use as a
 * `CallbackBodyReader`: it reads chunk by chunk (never `request.json()`), stops at the limit, gives
 * up when the time is up or the client aborts, and then releases the stream without consuming it
 * further (cancelling it could reset the connection before the answer is out on some servers).
 */
export function webBodyReader(source: WebBodySource, rules: BodyRules): WebBodyReader {
  let complete = source.body === null;
  const read = async (): Promise<Uint8Array> => {
    if (source.body === null) return new Uint8Array(0);
    if (source.bodyUsed || source.body.locked) throw bodyIncomplete('the body was already read by another handler');
    const reader = source.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const stop = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(bodyTimedOut(rules.timeoutMs)), rules.timeoutMs);
      onAbort = () => reject(bodyIncomplete());
      if (source.signal?.aborted) onAbort();
      source.signal?.addEventListener('abort', onAbort);
    });
    try {
      for (;;) {
        const chunk = await Promise.race([reader.read(), stop]).catch((error: unknown) => {
          // A stream that fails (the client went away) is an incomplete body, whatever its error.
          throw error instanceof GraphCommsError ? error : bodyIncomplete();
        });
        if (chunk.done) break;
        const bytes: unknown = chunk.value;
        if (!(bytes instanceof Uint8Array)) throw bodyIncomplete('the body stream gave something other than bytes');
        size += bytes.byteLength;
        if (size > rules.limit) throw bodyTooLarge(rules.limit);
        chunks.push(bytes);
      }
      complete = true;
      return concat(chunks, size);
    } catch (error) {
      chunks.length = 0; // nothing of a refused body outlives the refusal
      throw error;
    } finally {
      clearTimeout(timer);
      if (onAbort) source.signal?.removeEventListener('abort', onAbort);
      try {
        reader.releaseLock(); // also rejects a read still pending after a timeout
      } catch {
        // Older runtimes refuse to release with a read pending; the stream is abandoned either way.
      }
    }
  };
  return {
    read,
    get complete() {
      return complete;
    },
  };
}
