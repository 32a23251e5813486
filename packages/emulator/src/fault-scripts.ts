import type { ResultInfo } from './types.js';

/** Faults that apply to callbacks, standing (see `Faults.callbacks`) or per request. */
export interface CallbackFaults {
  /** Send every callback twice (the copy right after the original). */
  duplicate?: boolean;
  /** PascalCase change types and values: `Updated`, `Deleted`, `Completed`, `Established`, `Default`. */
  pascalCase?: boolean;
  /** Extra delay before each callback, in ms. */
  latencyMs?: number;
  /**
   * Call and operation GUIDs in notification paths and in `resourceData` ids appear
   * UPPERCASE WITHOUT DASHES (`57DAB8B1894C409AB240BD8BEAE78896`), as Microsoft's own
   * examples mix them; responses keep the dashed lowercase form.
   */
  otherIdForm?: boolean;
}

/** Callback faults for one call only (see `Faults.forCall`). */
export interface CallFaults extends CallbackFaults {
  /** The call's callbacks are not sent: each is logged as `cancelled` (with `dropped: true`) and no attempt is made. */
  drop?: boolean;
}

/** An HTTP error answered to a request instead of accepting it. */
export interface ScriptedHttpError {
  /** e.g. 403, 429, 503. */
  status: number;
  /** Graph error code; default from the status (`Forbidden`, `TooManyRequests`...). */
  code?: string;
  /** Graph error message; a generic one by default. */
  message?: string;
  /** Adds `Retry-After: <seconds>` (the Graph client's RetryHandler honours it on 429/503/504). */
  retryAfterSeconds?: number;
}

/** The invite's name for {@link ScriptedHttpError}. */
export type InviteHttpError = ScriptedHttpError;

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
  /**
   * No outcome ever: the response says `Running`, the operation stays `running`,
   * nobody joins and no callback follows. Wins over `completeInResponse`, `fail` and `overtake`.
   */
  neverComplete?: boolean;
}

/** The call and participant actions that {@link OperationScript}s can script. */
export type OperationAction =
  | 'playPrompt'
  | 'recordResponse'
  | 'subscribeToTone'
  | 'sendDtmfTones'
  | 'cancelMediaProcessing'
  | 'mute'
  | 'unmute'
  | 'muteParticipant'
  | 'startHoldMusic'
  | 'stopHoldMusic'
  | 'updateRecordingStatus'
  | 'changeScreenSharingRole'
  | 'keepAlive'
  | 'answer'
  | 'reject'
  | 'redirect'
  | 'transfer'
  | 'hangUp'
  | 'removeParticipant';

/** How the emulator answers one call action. Every field is optional; `{}` is a normal request. */
export interface OperationScript extends CallbackFaults {
  /**
   * The operation fails with this resultInfo: in its completion callback, or in the
   * response itself for actions answered already completed. Its effect (mute, cancel...) does not happen.
   * Ignored by actions without an operation (changeScreenSharingRole, keepAlive, answer, reject, redirect,
   * hangUp, removeParticipant); a transfer with `fail` goes back to `established` with this resultInfo.
   */
  fail?: ResultInfo;
  /**
   * No completion ever: the operation stays `running` and no callback follows. Actions answered
   * already completed answer `running` instead, with no effect; hangUp and removeParticipant
   * take effect without any callback.
   */
  neverComplete?: boolean;
  /** Deliver the action's callbacks, and wait for the bot's answers, before answering the HTTP request. */
  overtake?: boolean;
  /** Answer the request with this error; nothing else happens. */
  httpError?: ScriptedHttpError;
  /** answer: the `established` notification is sent before `establishing` (Graph's pages warn they may come out of order). */
  outOfOrder?: boolean;
}

/** What the simulated callee of a created call does. */
export type CalleeBehaviour = 'answer' | 'decline' | 'noAnswer';

/** How the emulator answers one `POST /communications/calls`. Every field is optional; `{}` is a call the callee answers. */
export interface CallScript extends CallbackFaults {
  /**
   * `answer` (default): established after `autoAnswerMs`; `decline`: terminated after
   * `autoAnswerMs` with 480/10134; `noAnswer`: terminated after `ringTimeoutMs` with 480/10076.
   */
  callee?: CalleeBehaviour;
  /** The resultInfo a declined or unanswered call ends with, instead of the default. */
  endResult?: ResultInfo;
  /** The call's first callbacks are delivered (and answered) before the 201. */
  overtake?: boolean;
  /** `established` is sent before `establishing`. */
  outOfOrder?: boolean;
  /** Answer the request with this error; no call is created. */
  httpError?: ScriptedHttpError;
}
