import type { ResultInfo } from './types.js';

/** Faults that apply to callbacks, standing (see {@link Faults.callbacks}) or per invite. */
export interface CallbackFaults {
  /** Send every callback twice (the copy right after the original). */
  duplicate?: boolean;
  /** PascalCase change types and values: `Updated`, `Deleted`, `Completed`, `Established`, `Default`. */
  pascalCase?: boolean;
  /** Extra delay before each callback, in ms. */
  latencyMs?: number;
}

/** An HTTP error answered to an invite request instead of accepting it. */
export interface InviteHttpError {
  /** e.g. 403, 429, 503. */
  status: number;
  /** Graph error code; default from the status (`Forbidden`, `TooManyRequests`...). */
  code?: string;
  message?: string;
  /** Adds `Retry-After: <seconds>` (the Graph client's RetryHandler honours it on 429/503/504). */
  retryAfterSeconds?: number;
}

/** How the emulator answers one invite. Every field is optional; `{}` is a normal invite. */
export interface InviteScript extends CallbackFaults {
  /** The operation fails with this resultInfo (status `failed`); nobody joins the roster. */
  fail?: ResultInfo;
  /** Answer the request with this error; nothing else happens. */
  httpError?: InviteHttpError;
  /** The response already says `completed` (or `failed` with `fail`): no operation callback follows. */
  completeInResponse?: boolean;
  /** Order of the invite's callbacks: roster then outcome (default), outcome first, or shuffled. */
  order?: 'rosterFirst' | 'operationFirst' | 'shuffled';
  /** Deliver the callbacks, and wait for the bot's answers, before answering the HTTP request. */
  overtake?: boolean;
  /** The outcome notification carries `id: null` on `/communications/calls/{id}/operations/participants` (seed 001 example 2). */
  nullOperationId?: boolean;
  /** The roster notification is addressed to `.../operations/participants` (seed 001 example 2). */
  rosterOnOperationsPath?: boolean;
  /** Roster entries carry `id: null`, as in the invite page's examples. */
  nullParticipantIds?: boolean;
}

/**
 * Scripted misbehaviour. Invite scripts queue up and each applies to one
 * invite request, in order; standing callback faults apply to every callback
 * until changed.
 *
 * ```ts
 * emulator.faults.nextInvite({ fail: { code: 403, subcode: 10151, message: 'Forbidden' } });
 * emulator.faults.nextInvite({ httpError: { status: 429, retryAfterSeconds: 0 } });
 * emulator.faults.callbacks({ duplicate: true });
 * ```
 */
export class Faults {
  private readonly invites: InviteScript[] = [];
  private standing: CallbackFaults = {};

  /** Applies `script` to the next `times` invite requests (after the ones already scripted). */
  nextInvite(script: InviteScript, times = 1): this {
    for (let i = 0; i < times; i += 1) this.invites.push({ ...script });
    return this;
  }

  /** Sets the faults applied to every callback from now on (`{}` or `null` clears them). */
  callbacks(faults: CallbackFaults | null): this {
    this.standing = { ...faults };
    return this;
  }

  /** Drops every scripted invite and standing fault. */
  clear(): void {
    this.invites.length = 0;
    this.standing = {};
  }

  /** Invite scripts not used yet. */
  get pendingInvites(): number {
    return this.invites.length;
  }

  /** @internal Takes the script for the invite being handled (`{}` when none is queued). */
  takeInvite(): InviteScript {
    return this.invites.shift() ?? {};
  }

  /** @internal The standing callback faults, overridden by a script's own. */
  callbackFaults(script: CallbackFaults = {}): CallbackFaults {
    const merged: CallbackFaults = { ...this.standing };
    if (script.duplicate !== undefined) merged.duplicate = script.duplicate;
    if (script.pascalCase !== undefined) merged.pascalCase = script.pascalCase;
    if (script.latencyMs !== undefined) merged.latencyMs = script.latencyMs;
    return merged;
  }
}
