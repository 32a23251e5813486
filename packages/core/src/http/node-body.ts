import type { IncomingMessage } from 'node:http';
import { bodyIncomplete, bodyTimedOut, bodyTooLarge } from './body-failures.js';
import type { BodyRules } from './limits.js';

/**
 * Reads a Node request's body up to `rules.limit` bytes and within `rules.timeoutMs` of the call,
 * for use as a `CallbackBodyReader`. Stops at the limit rather than buffer a huge body, trusts no
 * Content-Length it has not counted, and gives up on a body still incomplete when the time is up.
 * Rejects with the `GraphCommsError` that `handleCallback` answers 413, 408 or 400 (the client went
 * away, or the body was already consumed). After a failure the stream is left paused: answer with
 * `Connection: close` rather than drain it.
 */
export function readNodeBody(req: IncomingMessage, rules: BodyRules): Promise<Buffer> {
  // Someone else consumed the stream: waiting for it would only end in a timeout.
  if (req.readableEnded) return Promise.reject(bodyIncomplete('the body was already read by another handler'));
  // The client went away while the token was being checked: its 'aborted' and 'close' are past,
  // and waiting for them would only end in a timeout.
  if ((req.destroyed || req.socket?.destroyed) && !req.complete) return Promise.reject(bodyIncomplete());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (failure?: Error): void => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onAbort).off('aborted', onAbort).off('close', onClose);
      if (!failure) return resolve(Buffer.concat(chunks, size));
      req.pause();
      chunks.length = 0; // nothing of a refused body outlives the refusal
      reject(failure);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > rules.limit) settle(bodyTooLarge(rules.limit));
      else chunks.push(bytes);
    };
    const onEnd = (): void => settle();
    const onAbort = (): void => settle(bodyIncomplete());
    const onClose = (): void => (req.complete ? undefined : settle(bodyIncomplete()));
    const timer = setTimeout(() => settle(bodyTimedOut(rules.timeoutMs)), rules.timeoutMs);
    req.on('data', onData).on('end', onEnd).on('error', onAbort).on('aborted', onAbort).on('close', onClose);
  });
}
