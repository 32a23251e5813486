import { GraphRequestError } from '../errors.js';
import type { Logger } from '../logger.js';

/** Which request failed: the action and where it was aimed. */
export interface FailedRequest {
  action: string;
  callId?: string;
  participantId?: string;
}

/**
 * Logs, at warn, a request of the bot that Graph refused (non-2xx) or that never got an answer:
 * the action, the call, Graph's status, code and request id. Neither the request's body nor its
 * headers: the Graph client adds the bot's own access token to them.
 */
export function logGraphFailure(logger: Logger, request: FailedRequest, error: unknown): void {
  const where = {
    action: request.action,
    ...(request.callId ? { callId: request.callId } : {}),
    ...(request.participantId ? { participantId: request.participantId } : {}),
  };
  if (!(error instanceof GraphRequestError)) {
    logger.warn({ ...where, err: error instanceof Error ? error.message : String(error) }, `${request.action} request failed`);
    return;
  }
  const fields = { ...where, status: error.status, code: error.graphCode ?? error.code, ...(error.requestId ? { requestId: error.requestId } : {}), err: error.message };
  const what = error.status === 0 ? 'Graph could not be reached' : `Graph answered ${error.status}${error.graphCode ? ` ${error.graphCode}` : ''}`;
  logger.warn(fields, `${request.action} refused: ${what}`);
}
