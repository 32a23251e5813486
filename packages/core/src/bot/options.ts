import type { Client } from '@microsoft/microsoft-graph-client';
import type { TokenVerifier } from '../auth/types.js';
import type { GraphVersion } from '../operations/graph-request.js';
import type { Logger } from '../logger.js';
import type { CallStore } from '../store/call-store.js';

/** Options of `new CallingBot(...)`. */
export interface CallingBotOptions {
  /** The bot's app id: the audience of callback tokens. */
  appId: string;
  /** A `@microsoft/microsoft-graph-client` Client; needed for every request the bot sends (handles, `invite()`). */
  graphClient?: Client;
  /** Default `'v1.0'`. */
  graphVersion?: GraphVersion;
  /** Default `createGraphTokenVerifier({ appId })`; `false` turns verification off (tests only). */
  tokenVerifier?: TokenVerifier | false;
  /** Default `new MemoryCallStore()`. */
  store?: CallStore;
  /** A pending operation with no final notification by then times out. Default 120 000. */
  operationTimeoutMs?: number;
  /** How long finished operations, departed participants and ended calls are remembered (the default store's too). Default 15 minutes. */
  retentionMs?: number;
  /**
   * A custom handler that has not finished (nor called `next()`) by then is reported on `error`
   * and the notification goes on without it. Default 10 000.
   */
  handlerTimeoutMs?: number;
  /**
   * The public HTTPS URL where Graph posts this bot's callbacks: sent with answer, reject,
   * redirect, createCall and joinMeeting unless a request gives its own. Checked as an absolute URL.
   */
  callbackUri?: string;
  /** Every established call gets `POST .../keepAlive` at this interval until it ends; `false`: never. Default 15 minutes. */
  keepAliveIntervalMs?: number | false;
  /**
   * How long the process that committed a notification's step has to emit its events before
   * another process sharing the store may take them over (it then emits them with the same
   * `eventId`s). Longer means a crashed process's events wait longer; shorter risks a slow but
   * living process's events being emitted twice. Default 5 000.
   */
  outboxLeaseMs?: number;
  /**
   * How long `close()` lets the commits under way finish (their events emitted, their callbacks
   * answered) before it closes the store anyway: a store that never answers must not hold a
   * shutdown forever. Default 10 000.
   */
  closeTimeoutMs?: number;
  /**
   * How often the bot looks in the store for deadlines that fell due (timeouts and keepAlives
   * of processes that are gone) and for events left unemitted. Default 1 000, or a quarter of
   * `keepAliveIntervalMs` when that is shorter.
   */
  deadlinePollMs?: number;
  /** Graph gives 15 s to answer, reject or redirect an incoming call; past this the bot logs a warning. Default 15 000. */
  answerDeadlineMs?: number;
  /**
   * Where the bot logs refused callbacks (warn), store failures and errors nobody listens to on
   * `error` (error, with their stack), Graph's refusals of its requests and unanswered incoming
   * calls (warn). A pino logger fits as it is; `false` logs nothing. Tokens are never logged.
   * Default `createConsoleLogger()`: warn and error on stderr. Also given to the default token verifier.
   */
  logger?: Logger | false;
  /** Metrics and traces through `@opentelemetry/api` when it is installed (see the README's "Metrics and traces"); `false` turns them off. */
  telemetry?: false;
}
