import { GraphCommsError } from '../errors.js';

// The errors a body reader throws; `handleCallback` answers each with its status (BODY_READ_FAILURES).

/** The body passed the limit: answered 413. */
export const bodyTooLarge = (limit: number): GraphCommsError => new GraphCommsError('payload_too_large', `the body is larger than ${limit} bytes`);

/** The body did not arrive in time: answered 408. */
export const bodyTimedOut = (timeoutMs: number): GraphCommsError => new GraphCommsError('body_timeout', `the body did not arrive within ${timeoutMs} ms`);

/** The body stopped before its end, or was already consumed: answered 400. */
export const bodyIncomplete = (message = 'the body ended before it was complete'): GraphCommsError => new GraphCommsError('body_incomplete', message);
