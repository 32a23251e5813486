/** One HTTP attempt of a delivery. */
export interface DeliveryAttempt {
  /** When the attempt started (ms since the epoch). */
  at: number;
  /** The bot's HTTP status, or null when it could not be reached. */
  status: number | null;
  /** How long the attempt took until the bot's answer (or the failure), in ms. */
  latencyMs: number;
  /**
   * Why the attempt had no answer: the socket error's code (`ECONNREFUSED`,
   * `ECONNRESET`...), `timeout` (over `deliveryTimeoutMs`), `aborted` (the emulator
   * closed), or the error's message when it has no code.
   */
  error?: string;
  /** The `error.code` of the bot's JSON answer body (`invalid_token`...), when it had one. */
  botError?: string;
  /** Where a redirect led, when the bot answered 301/302/307/308 with a Location. */
  redirectedTo?: string;
}

const REDIRECTS = new Set([301, 302, 307, 308]);
const MAX_REDIRECTS = 3;
/** Largest answer body read for its `error.code`; larger ones are read and ignored. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs one callback body. A redirect with a Location is followed with the same
 * POST (Microsoft's stateful SDK answers 302 to send a call's callbacks to the
 * instance that holds it), up to a few hops; the last status counts.
 */
export async function postCallback(
  url: string,
  body: string,
  request: { authorization: string; requestId: string; signal: AbortSignal },
): Promise<DeliveryAttempt> {
  let target = url;
  const started = performance.now();
  const result: DeliveryAttempt = { at: Date.now(), status: null, latencyMs: 0 };
  const done = (): DeliveryAttempt => ({ ...result, latencyMs: Math.round(performance.now() - started) });
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: request.authorization, 'Client-Request-Id': request.requestId },
        body,
        redirect: 'manual',
        signal: request.signal,
      });
      const answer = await response.arrayBuffer().catch(() => undefined);
      result.status = response.status;
      delete result.botError;
      const botError = answer === undefined ? undefined : botErrorCode(answer);
      if (botError !== undefined) result.botError = botError;
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || location === null || hop === MAX_REDIRECTS) return done();
      target = new URL(location, target).toString();
      result.redirectedTo = target;
    } catch (error) {
      result.status = null;
      delete result.botError;
      result.error = failureCause(error, request.signal);
      return done();
    }
  }
  return done();
}

/** The `error.code` of a JSON answer body such as `{ "error": { "code": "invalid_token" } }`. */
function botErrorCode(answer: ArrayBuffer): string | undefined {
  if (answer.byteLength === 0 || answer.byteLength > MAX_ANSWER_BYTES) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(answer).toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const error = (parsed as { error?: unknown }).error;
    if (typeof error === 'string') return error;
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** A short cause for a failed fetch: the socket error's code, `timeout`, `aborted`, or the message. */
function failureCause(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    return typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError' ? 'timeout' : 'aborted';
  }
  // Duck-typed, not instanceof: the error may come from another realm (a test's VM context).
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, errors, cause } = current as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof code === 'string' && code !== '') return code;
    current = Array.isArray(errors) && errors.length > 0 ? (errors[0] as unknown) : cause;
  }
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}
