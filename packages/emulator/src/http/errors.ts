import { randomUUID } from 'node:crypto';

/**
 * An error answered the way Graph answers: an HTTP status and
 * `{ "error": { "code", "message", "innerError" } }`.
 */
export class GraphHttpError extends Error {
  constructor(
    /** The HTTP status answered. */
    readonly status: number,
    /** The error code of the body. */
    readonly code: string,
    message: string,
    /** Headers added to the answer (`Retry-After`...). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'GraphHttpError';
  }
}

/** Graph's error body, with the `innerError` request ids Graph adds. */
export function graphErrorBody(code: string, message: string): Record<string, unknown> {
  const requestId = randomUUID();
  return {
    error: {
      code,
      message,
      innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': requestId },
    },
  };
}

/** 400 for a request that breaks a rule of the API. */
export function badRequest(message: string): GraphHttpError {
  return new GraphHttpError(400, 'BadRequest', message);
}

/** 404 for a call, participant or operation the emulator does not know (or that has ended). */
export function itemNotFound(message: string): GraphHttpError {
  return new GraphHttpError(404, 'itemNotFound', message);
}
