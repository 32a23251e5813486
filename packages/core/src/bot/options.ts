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
  /** Graph gives 15 s to answer, reject or redirect an incoming call; past this the bot logs a warning. Default 15 000. */
  answerDeadlineMs?: number;
  /** Where rejected callbacks and unheard errors are logged. Default: silent. */
  logger?: Logger;
}
