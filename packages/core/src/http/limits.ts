/** The largest callback body accepted by default: 1 MB, far above any notification Graph sends. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** How long a callback body may take to arrive by default, in milliseconds. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/** The body options every adapter takes. */
export interface BodyOptions {
  /** The largest body accepted, in bytes or as `'1mb'`, `'512kb'`, `'100b'`. Default 1 MB. */
  limit?: number | string;
  /**
   * How long the body may take to arrive, in milliseconds, counted from when reading starts (right
   * after the token was accepted). A body still incomplete then is answered 408 `body_timeout`.
   * Default 10 000.
   */
  bodyTimeoutMs?: number;
}

/** {@link BodyOptions} checked and resolved to numbers. */
export interface BodyRules {
  /** The largest body accepted, in bytes. */
  readonly limit: number;
  /** How long the body may take to arrive, in milliseconds. */
  readonly timeoutMs: number;
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** `1048576`, `'1mb'`, `'512kb'`, `'100b'` → bytes. Throws `TypeError` on anything else, or on less than one byte. */
export function parseLimit(limit: number | string): number {
  let bytes: number;
  if (typeof limit === 'number') bytes = limit;
  else if (typeof limit === 'string') {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(limit);
    if (!match) throw new TypeError(`limit ${JSON.stringify(limit)} is not a size such as 1048576 or '1mb'`);
    bytes = Number(match[1]) * UNITS[(match[2] ?? 'b').toLowerCase()]!;
  } else throw new TypeError(`limit must be a number of bytes or a size such as '1mb', got ${typeof limit}`);
  if (!Number.isFinite(bytes) || Math.floor(bytes) < 1) throw new TypeError('limit must be a positive number of bytes');
  return Math.floor(bytes);
}

/**
 * Checks an adapter's {@link BodyOptions} once, when the adapter is created, so that a typo fails
 * at start-up rather than on Graph's first callback. `owner` names the adapter in the error.
 */
export function bodyRules(options: BodyOptions | undefined, owner: string): BodyRules {
  const { limit = DEFAULT_BODY_LIMIT, bodyTimeoutMs = DEFAULT_BODY_TIMEOUT_MS } = options ?? {};
  let bytes: number;
  try {
    bytes = parseLimit(limit);
  } catch (error) {
    throw new TypeError(`${owner}: ${(error as Error).message}`);
  }
  if (typeof bodyTimeoutMs !== 'number' || !Number.isFinite(bodyTimeoutMs) || bodyTimeoutMs <= 0) {
    throw new TypeError(`${owner}: bodyTimeoutMs must be a positive number of milliseconds`);
  }
  return { limit: bytes, timeoutMs: bodyTimeoutMs };
}
