import type { IncomingMessage } from 'node:http';
import { bodyIncomplete, bodyTimedOut, bodyTooLarge } from './body-failures.js';
import type { BodyRules } from './limits.js';
import { ExpiryQueue } from './expiry-queue.js';

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
  const whole = bufferedBody(req, rules.limit);
  if (whole) return Promise.resolve(whole);
  // The client went away while the token was being checked: its 'close' is past, and a
  // destroyed stream emits nothing more, so waiting would only end in a timeout.
  if (req.destroyed || (req.socket?.destroyed && !req.complete)) return Promise.reject(bodyIncomplete());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    // Listeners stay on a settled request (it is short-lived, and `done` mutes them): removing
    // five of them per callback cost more than the rest of the read.
    const settle = (failure?: Error): void => {
      if (done) return;
      done = true;
      expiry.cancel();
      if (!failure) return resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
      req.pause();
      chunks.length = 0; // nothing of a refused body outlives the refusal
      reject(failure);
    };
    const expiry = expiries(rules).add(() => settle(bodyTimedOut(rules.timeoutMs)));
    req.on('data', (chunk: Buffer | string): void => {
      if (done) return;
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += bytes.length;
      if (size > rules.limit) settle(bodyTooLarge(rules.limit));
      else chunks.push(bytes);
    });
    req.on('end', () => settle());
    // A client that goes away ends in 'close' before 'end' (Node's 'aborted' comes just before it).
    req.on('error', () => settle(bodyIncomplete()));
    req.on('close', () => (req.complete ? undefined : settle(bodyIncomplete())));
  });
}

/**
 * The whole body when it has already arrived and waits in the stream's buffer, or undefined. A
 * callback's body usually comes in the packet that carried its headers, so by the time the token
 * is checked the parser has buffered all of it: taken in one read, without listeners or a timer.
 */
function bufferedBody(req: IncomingMessage, limit: number): Buffer | undefined {
  // Flowing or piped streams, decoded ones and anything past the limit take the counted path.
  if (!req.complete || req.readableEnded || req.readableFlowing || req.readableLength === 0 || req.readableLength > limit || req.readableEncoding !== null) return undefined;
  const chunk: unknown = req.read();
  return Buffer.isBuffer(chunk) && chunk.length <= limit ? chunk : undefined;
}

// One queue per set of rules: every read under them has the same timeout, so they expire in the
// order they started, and one timer serves them all.
const queues = new WeakMap<BodyRules, ExpiryQueue>();
function expiries(rules: BodyRules): ExpiryQueue {
  let queue = queues.get(rules);
  if (!queue) queues.set(rules, (queue = new ExpiryQueue(rules.timeoutMs)));
  return queue;
}
