import { JWKS_PATH, OPENID_CONFIGURATION_PATH } from './auth/openid.js';
import type { TokenOverrides } from './auth/tokens.js';
import type { DeliveryRecord } from './callbacks/delivery.js';
import type { IncomingCallOptions } from './calls/incoming.js';
import { snapshot, type CallSnapshot, type CreateCallOptions } from './calls/snapshot.js';
import {
  addParticipantById,
  createFixture,
  endCallById,
  placeIncoming,
  pressToneById,
  removeParticipantById,
  setMutedById,
} from './control/actions.js';
import { asJsError, orElse } from './control/errors.js';
import type { EmulatorContext } from './context.js';
import type { Faults } from './faults.js';
import type { GraphEmulatorOptions } from './options.js';
import { startRuntime, type Runtime } from './runtime.js';
import type { RecordingSnapshot } from './recordings/store.js';
import type { IdentitySet, ResultInfo } from './types.js';

/**
 * A local stand-in for the Graph calling service: the calls API on
 * `/v1.0/` and `/beta/`, signed callbacks to each call's callbackUri, and the
 * OpenID configuration and keys that verify them.
 *
 * ```ts
 * const emulator = await GraphEmulator.start();
 * const client = Client.init({ baseUrl: emulator.url, authProvider: (done) => done(null, 'token') });
 * ```
 */
export class GraphEmulator {
  /** Base URL for the Graph client's `baseUrl`, e.g. `http://127.0.0.1:4000/`. */
  readonly url: string;
  /** `.../v1/.well-known/OpenIdConfiguration`, naming the `jwks_uri`. */
  readonly openIdConfigurationUrl: string;
  /** `.../v1/keys`: the public signing keys. */
  readonly jwksUrl: string;
  /** Scripted faults (see {@link Faults}). */
  readonly faults: Faults;

  private readonly ctx: EmulatorContext;

  private constructor(private readonly runtime: Runtime) {
    this.ctx = runtime.ctx;
    this.url = runtime.ctx.baseUrl;
    this.openIdConfigurationUrl = new URL(OPENID_CONFIGURATION_PATH.slice(1), this.url).toString();
    this.jwksUrl = new URL(JWKS_PATH.slice(1), this.url).toString();
    this.faults = runtime.ctx.faults;
  }

  /** Starts an emulator listening on `options.host`:`options.port` (a free port by default). */
  static async start(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
    return new GraphEmulator(await startRuntime(options));
  }

  /** Tenant of the calls and `tid` of the callback tokens. */
  get tenantId(): string {
    return this.ctx.options.tenantId;
  }

  /** The bot's app id: `aud` of the callback tokens. */
  get appId(): string {
    return this.ctx.options.appId;
  }

  /** `iss` of the callback tokens. */
  get issuer(): string {
    return this.ctx.options.issuer;
  }

  /** Every callback queued so far, in order, with what the bot answered. */
  get deliveries(): readonly DeliveryRecord[] {
    return this.runtime.deliverer.log;
  }

  /** Every recording made by a recordResponse so far, with its location, access token and expiry. */
  get recordings(): RecordingSnapshot[] {
    return this.ctx.recordings.list();
  }

  /** The `kid` new callbacks are signed with. */
  get signingKeyId(): string {
    return this.runtime.keys.current.kid;
  }

  /** Resolves when no callback is waiting, in flight or scheduled. */
  idle(): Promise<void> {
    return this.ctx.scheduler.idle();
  }

  /** Stops the server, every timer and every delivery. */
  async close(): Promise<void> {
    this.runtime.events.close();
    this.runtime.deliverer.close();
    this.ctx.scheduler.close();
    const closed = new Promise<void>((resolve) => this.runtime.server.close(() => resolve()));
    this.runtime.server.closeAllConnections();
    await closed;
    await this.ctx.scheduler.idle();
  }

  /** Signs new callbacks with a new key (new kid); the old key stays published unless `dropOld`. Returns the new kid. */
  async rotateKeys(options: { dropOld?: boolean } = {}): Promise<string> {
    return (await this.runtime.keys.rotate(options.dropOld === true)).kid;
  }

  /** A token signed like the callbacks' ones, with claims overridden, for tests of a bot's verification. */
  issueToken(overrides?: TokenOverrides): Promise<string> {
    return this.runtime.tokens.issue(overrides);
  }

  /**
   * Creates a call directly (a fixture): established with the bot and `participants`
   * on its roster. With `announce`, it goes through establishing → established
   * with callbacks, like `POST /communications/calls`.
   */
  createCall(options: CreateCallOptions): CallSnapshot {
    return createFixture(this.ctx, options);
  }

  /**
   * Someone calls the bot: a call in `incoming`, announced by `created` on
   * `/communications/calls/{id}`. The bot has `answerTimeoutMs` to answer, reject
   * or redirect it; otherwise it ends with 408/1106. A callbackUri that is not an http(s) URL is a TypeError.
   */
  placeIncomingCall(options: IncomingCallOptions): CallSnapshot {
    return asJsError(() => placeIncoming(this.ctx, options), TypeError);
  }

  /**
   * A participant presses a key on the call: once the bot subscribed to tones,
   * an `updated` call notification with `toneInfo`. Returns its sequenceId (1, 2, 3...
   * per call), or null when nothing was sent (unknown or ended call, no subscribeToTone yet).
   * An unknown tone is a RangeError.
   */
  pressTone(callId: string, tone: string): number | null {
    return orElse(() => asJsError(() => pressToneById(this.ctx, callId, tone), RangeError), null);
  }

  /** The call as the emulator holds it now, ended calls included. */
  getCall(id: string): CallSnapshot | undefined {
    const call = this.ctx.registry.get(id);
    return call === undefined ? undefined : snapshot(call);
  }

  /** Ends a call from Graph's side (terminating, then terminated + deleted). False if unknown or already ending. */
  endCall(id: string, resultInfo?: ResultInfo): boolean {
    return orElse(() => endCallById(this.ctx, id, resultInfo) !== undefined, false);
  }

  /** Someone joins the call on their own: roster `updated` with them. Returns their participant id; throws for an unknown or ended call. */
  addParticipant(callId: string, identity: IdentitySet): string {
    return addParticipantById(this.ctx, callId, identity);
  }

  /** A participant leaves the call: roster `deleted` with it. False if the call or participant is unknown (or the call ended). */
  removeParticipant(callId: string, participantId: string): boolean {
    return orElse(() => {
      removeParticipantById(this.ctx, callId, participantId);
      return true;
    }, false);
  }

  /** Graph's side (un)mutes a participant: roster `updated` with its `isMuted`. False if the call or participant is unknown (or the call ended). */
  setMuted(callId: string, participantId: string, muted: boolean): boolean {
    return orElse(() => setMutedById(this.ctx, callId, participantId, muted) !== undefined, false);
  }
}
