import type { Notice } from '../callbacks/notifier.js';
import type { CallRecord, OperationRecord, ParticipantRecord } from '../calls/registry.js';
import type { EmulatorContext } from '../context.js';
import type { CallbackFaults, OperationAction } from '../fault-scripts.js';
import type { JsonObject, ResultInfo } from '../types.js';

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
  /** Checks the body; throws a 400 GraphHttpError. */
  parse(body: unknown): ParsedAction;
  /** Fields of the running operation in the response (`recordingLocation: null`). */
  runningFields?: JsonObject;
  /** Fields of a failed operation. */
  failedFields?: JsonObject;
  /** The action's effect and outcome, when it completes successfully. */
  complete?(scope: ActionScope): Completion;
}
