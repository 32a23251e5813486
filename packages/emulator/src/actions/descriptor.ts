import type { Notice } from '../callbacks/notifier.js';
import type { CallRecord, OperationRecord, ParticipantRecord } from '../calls/registry.js';
import type { EmulatorContext } from '../context.js';
import type { CallbackFaults, OperationAction, OperationScript } from '../fault-scripts.js';
import type { CallState, JsonObject, ResultInfo } from '../types.js';

/** A request body that passed an action's checks. */
export interface ParsedAction {
  clientContext: string | null;
  /** The checked parameters the action's completion reads. */
  params: JsonObject;
}

/** What an action's completion sees. */
export interface ActionScope {
  ctx: EmulatorContext;
  call: CallRecord;
  op: OperationRecord;
  /** The participant named in the path, for participant actions. */
  participant: ParticipantRecord | undefined;
  params: JsonObject;
}

/** What an action without an operation (answer, transfer, keepAlive...) sees once accepted. */
export interface AcceptScope {
  ctx: EmulatorContext;
  call: CallRecord;
  params: JsonObject;
  /** The request's fault script (`fail`, `outOfOrder`, `neverComplete`...). */
  script: OperationScript;
  /** The callback faults in force for the request. */
  faults: CallbackFaults;
}

/** A callback a completion sends besides the operation's own; `faults` overrides the action's. */
export interface Outgoing {
  notice: Notice;
  faults?: CallbackFaults;
}

/** What completing an action produced. */
export interface Completion {
  /** Default: 200/0 "Action completed successfully." for callbacks, null in a completed response. */
  resultInfo?: ResultInfo;
  /** Fields the completed operation carries (`recordingLocation`, `completionReason`...). */
  fields?: JsonObject;
  /** Callbacks sent after the operation's own outcome (a roster update, cancelled operations). */
  notices?: Outgoing[];
}

/** One call or participant action: everything that sets it apart from the others. */
export interface ActionDescriptor {
  name: Exclude<OperationAction, 'hangUp' | 'removeParticipant'>;
  /** Last path segment: `playPrompt` (also accepted as `microsoft.graph.playPrompt`). */
  segment: string;
  /** Under `/calls/{id}` or `/calls/{id}/participants/{pid}`. */
  target: 'call' | 'participant';
  /** HTTP status of an accepted request. */
  status: 200 | 202;
  /**
   * `callback`: answered running, completed later by a `deleted` notification;
   * `response`: answered already completed, no operation callback; `none`: no operation at all.
   */
  completes: 'callback' | 'response' | 'none';
  /** The operation's `@odata.type` (unused when `completes` is `none`). */
  type: string;
  /** Adds `@odata.context` to the response, as the mute pages show. */
  odataContext?: boolean;
  /** States of the call in which the action is taken (default {@link ACTIVE_STATES}); otherwise 400. */
  states?: readonly CallState[];
  /** Checks the body (some rules depend on the call); throws a 400 GraphHttpError. */
  parse(body: unknown, call: CallRecord): ParsedAction;
  /** Fields of the running operation in the response (`recordingLocation: null`). */
  runningFields?: JsonObject;
  /** Fields of a failed operation. */
  failedFields?: JsonObject;
  /** The action's effect and outcome, when it completes successfully. */
  complete?(scope: ActionScope): Completion;
  /**
   * For actions without an operation (`completes: 'none'`): the effect, started
   * before the response; returns the promise of its callbacks (what `overtake` waits for), or null.
   */
  accept?(scope: AcceptScope): Promise<unknown> | null;
}

/** States in which a call takes actions: not before it is answered, not while it is redirected or ending. */
export const ACTIVE_STATES: readonly CallState[] = ['establishing', 'ringing', 'established', 'hold', 'transferring', 'transferAccepted'];
