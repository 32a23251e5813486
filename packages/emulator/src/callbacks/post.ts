/** One HTTP attempt of a delivery. */
export interface DeliveryAttempt {
  /** The bot's HTTP status, or null when it could not be reached. */
  status: number | null;
  /** Why the attempt had no answer (connection refused, timeout...). */
  error?: string;
  /** Where a redirect led, when the bot answered 301/302/307/308 with a Location. */
  redirectedTo?: string;
}

const REDIRECTS = new Set([301, 302, 307, 308]);
const MAX_REDIRECTS = 3;

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
  const result: DeliveryAttempt = { status: null };
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: request.authorization, 'Client-Request-Id': request.requestId },
        body,
        redirect: 'manual',
        signal: request.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      result.status = response.status;
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || location === null || hop === MAX_REDIRECTS) return result;
      target = new URL(location, target).toString();
      result.redirectedTo = target;
    } catch (error) {
      return { ...result, status: null, error: error instanceof Error ? error.message : String(error) };
    }
  }
  return result;
}
