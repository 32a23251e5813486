/** A log sink: the emulator says what it received and what it sent. */
export type EmulatorLogger = (message: string, details?: Record<string, unknown>) => void;

/** How invites that combine several participants with `replacesCallId` are treated. */
export type ReplacesCallIdPolicy = 'reject' | 'firstOnly';

/** Options of {@link GraphEmulator.start}. Every field has a default. */
export interface GraphEmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Tenant of the calls and the `tid` claim of callback tokens. */
  tenantId?: string;
  /** The bot's app id: the `aud` of callback tokens and the bot's own identity in rosters. */
  appId?: string;
  /** `iss` of callback tokens and of the OpenID configuration; default `https://api.botframework.com`. */
  issuer?: string;
  /** Delay before each callback is sent, in ms; default 5. */
  callbackDelayMs?: number;
  /** Time an invitee (or a call target) takes to answer, in ms; default 10. */
  autoAnswerMs?: number;
  /** Time a running call action (playPrompt, recordResponse, sendDtmfTones, hold music) takes to complete, in ms; default 20. */
  operationDelayMs?: number;
  /** How long an incoming call waits for the bot's answer, reject or redirect before it ends with 408/1106, in ms; default 15000. */
  answerTimeoutMs?: number;
  /** How long an established call lives without a keepAlive before it ends with 408/8537, in ms; default 2700000 (45 minutes). */
  keepAliveTimeoutMs?: number;
  /** How long the callee of a created call scripted `noAnswer` rings before the call ends, in ms; default 60000. */
  ringTimeoutMs?: number;
  /** How long a recording's `recordingAccessToken` opens its `recordingLocation`, in ms; default 600000 (10 minutes). */
  recordingTokenLifetimeMs?: number;
  /** Attempts per callback when the bot answers 5xx or cannot be reached; default 3. */
  maxDeliveryAttempts?: number;
  /** Base of the linear backoff between attempts, in ms; default 20. */
  retryBackoffMs?: number;
  /** How long one callback may take before it counts as failed, in ms; default 10000. */
  deliveryTimeoutMs?: number;
  /** Lifetime of callback tokens (`exp - iat`), in seconds; default 3600. */
  tokenLifetimeSeconds?: number;
  /** How long one token is reused on callbacks before a fresh one is signed, in seconds; default 600. */
  tokenReuseSeconds?: number;
  /**
   * Several participants with `replacesCallId`/`participantId`: `reject` (default)
   * answers 400; `firstOnly` reads only the first, as Graph's page says it does.
   */
  replacesCallIdPolicy?: ReplacesCallIdPolicy;
  /** Receives log lines; silent when absent. */
  logger?: EmulatorLogger;
}

/** The options with their defaults applied. */
export type ResolvedOptions = Required<Omit<GraphEmulatorOptions, 'logger'>> & { logger: EmulatorLogger };

/** Fixed defaults, so that a test can name the tenant and the audience without passing them. */
export const DEFAULT_TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
/** The bot app id the emulator assumes unless told one. */
export const DEFAULT_APP_ID = '9ac7bdd0-3a1c-4c1e-9c1f-6e8b5cd5e7a1';
/** The issuer of the emulator's callback tokens, as Graph's. */
export const DEFAULT_ISSUER = 'https://api.botframework.com';

/** Fills in the defaults and refuses values that cannot work. */
export function resolveOptions(options: GraphEmulatorOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    tenantId: options.tenantId ?? DEFAULT_TENANT_ID,
    appId: options.appId ?? DEFAULT_APP_ID,
    issuer: options.issuer ?? DEFAULT_ISSUER,
    callbackDelayMs: options.callbackDelayMs ?? 5,
    autoAnswerMs: options.autoAnswerMs ?? 10,
    operationDelayMs: options.operationDelayMs ?? 20,
    recordingTokenLifetimeMs: options.recordingTokenLifetimeMs ?? 600_000,
    answerTimeoutMs: options.answerTimeoutMs ?? 15_000,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? 45 * 60_000,
    ringTimeoutMs: options.ringTimeoutMs ?? 60_000,
    maxDeliveryAttempts: options.maxDeliveryAttempts ?? 3,
    retryBackoffMs: options.retryBackoffMs ?? 20,
    deliveryTimeoutMs: options.deliveryTimeoutMs ?? 10_000,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    tokenReuseSeconds: options.tokenReuseSeconds ?? 600,
    replacesCallIdPolicy: options.replacesCallIdPolicy ?? 'reject',
    logger: quiet(options.logger),
  };
  for (const key of ['port', 'callbackDelayMs', 'autoAnswerMs', 'operationDelayMs', 'retryBackoffMs', 'tokenReuseSeconds'] as const) {
    if (!Number.isFinite(resolved[key]) || resolved[key] < 0) throw new RangeError(`${key} must be a number >= 0`);
  }
  for (const key of ['maxDeliveryAttempts', 'deliveryTimeoutMs', 'tokenLifetimeSeconds', 'recordingTokenLifetimeMs', 'answerTimeoutMs', 'keepAliveTimeoutMs', 'ringTimeoutMs'] as const) {
    if (!Number.isFinite(resolved[key]) || resolved[key] < 1) throw new RangeError(`${key} must be a number >= 1`);
  }
  for (const key of ['answerTimeoutMs', 'keepAliveTimeoutMs', 'ringTimeoutMs'] as const) {
    // Node's timers cannot wait longer (about 24.8 days).
    if (resolved[key] > MAX_TIMER_MS) throw new RangeError(`${key} must be at most ${MAX_TIMER_MS}`);
  }
  return resolved;
}

const MAX_TIMER_MS = 2_147_483_647;

/** The logger, made unable to throw: a failing logger must not fail a request or a callback. */
function quiet(logger: EmulatorLogger | undefined): EmulatorLogger {
  if (logger === undefined) return () => undefined;
  return (message, details) => {
    try {
      logger(message, details);
    } catch {
      // Dropped: logging is best effort.
    }
  };
}
