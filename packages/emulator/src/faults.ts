import type { CallbackFaults, CallFaults, CallScript, InviteScript, OperationAction, OperationScript } from './fault-scripts.js';

export type { CalleeBehaviour, CallbackFaults, CallFaults, CallScript, InviteHttpError, InviteScript, OperationAction, OperationScript, ScriptedHttpError } from './fault-scripts.js';

/**
 * Scripted misbehaviour. Invite and operation scripts queue up, one queue per
 * action, and each applies to one request of that action, in order; standing
 * callback faults apply to every callback until changed.
 *
 * ```ts
 * emulator.faults.nextInvite({ fail: { code: 403, subcode: 10151, message: 'Forbidden' } });
 * emulator.faults.nextOperation('playPrompt', { neverComplete: true });
 * emulator.faults.nextCall({ callee: 'decline' });
 * emulator.faults.callbacks({ duplicate: true });
 * ```
 */
export class Faults {
  private readonly invites: InviteScript[] = [];
  private readonly operations = new Map<OperationAction, OperationScript[]>();
  private readonly calls: CallScript[] = [];
  private standing: CallbackFaults = {};
  private readonly perCall = new Map<string, CallFaults>();

  /** Applies `script` to the next `times` invite requests (after the ones already scripted). */
  nextInvite(script: InviteScript, times = 1): this {
    for (let i = 0; i < times; i += 1) this.invites.push({ ...script });
    return this;
  }

  /** Applies `script` to the next `times` requests of `action` (after the ones already scripted for it). */
  nextOperation(action: OperationAction, script: OperationScript, times = 1): this {
    const queue = this.operations.get(action) ?? [];
    for (let i = 0; i < times; i += 1) queue.push({ ...script });
    this.operations.set(action, queue);
    return this;
  }

  /** Applies `script` to the next `times` `POST /communications/calls` requests: what the callee does, and the callbacks' faults. */
  nextCall(script: CallScript, times = 1): this {
    for (let i = 0; i < times; i += 1) this.calls.push({ ...script });
    return this;
  }

  /** Sets the faults applied to every callback from now on (`{}` or `null` clears them). */
  callbacks(faults: CallbackFaults | null): this {
    this.standing = { ...faults };
    return this;
  }

  /**
   * Sets the callback faults of one call (`null` or `{}` clears them). They win over
   * the standing and scripted faults for the fields they set; `drop` keeps the call's
   * callbacks from being sent at all.
   */
  forCall(callId: string, faults: CallFaults | null): this {
    const copy: CallFaults = { ...faults };
    if (Object.keys(copy).length === 0) this.perCall.delete(callId);
    else this.perCall.set(callId, copy);
    return this;
  }

  /** The faults set for one call by {@link forCall} (`{}` when none). */
  ofCall(callId: string): CallFaults {
    return { ...this.perCall.get(callId) };
  }

  /** Drops every scripted invite, operation, standing and per-call fault. */
  clear(): void {
    this.invites.length = 0;
    this.operations.clear();
    this.calls.length = 0;
    this.standing = {};
    this.perCall.clear();
  }

  /** Invite scripts not used yet. */
  get pendingInvites(): number {
    return this.invites.length;
  }

  /** Create-call scripts not used yet. */
  get pendingCalls(): number {
    return this.calls.length;
  }

  /** Scripts of `action` not used yet. */
  pendingOperations(action: OperationAction): number {
    return this.operations.get(action)?.length ?? 0;
  }

  /** @internal Takes the script for the invite being handled (`{}` when none is queued). */
  takeInvite(): InviteScript {
    return this.invites.shift() ?? {};
  }

  /** @internal Takes the script for the create-call request being handled (`{}` when none is queued). */
  takeCall(): CallScript {
    return this.calls.shift() ?? {};
  }

  /** @internal Takes the script for the `action` request being handled (`{}` when none is queued). */
  takeOperation(action: OperationAction): OperationScript {
    return this.operations.get(action)?.shift() ?? {};
  }

  /** @internal The standing callback faults, overridden by a script's own. */
  callbackFaults(script: CallbackFaults = {}): CallbackFaults {
    const merged: CallbackFaults = { ...this.standing };
    if (script.duplicate !== undefined) merged.duplicate = script.duplicate;
    if (script.pascalCase !== undefined) merged.pascalCase = script.pascalCase;
    if (script.latencyMs !== undefined) merged.latencyMs = script.latencyMs;
    if (script.otherIdForm !== undefined) merged.otherIdForm = script.otherIdForm;
    return merged;
  }
}
