/**
 * Every error the framework throws carries a stable `code`, so callers can branch on it
 * without parsing messages.
 */
export class GraphCommsError extends Error {
  /** A stable, machine-readable reason. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

const prefixed = (where: string | undefined, message: string): string => (where ? `${where}: ${message}` : message);

/** Names the documented invite rule that a request breaks. */
export type InviteRule =
  | 'participants.missing'
  | 'participants.tooMany'
  | 'participants.notAnObject'
  | 'replace.singleParticipant'
  | 'move.requiresReplacesCallId'
  | 'bots.tooMany'
  | 'identity.missing'
  | 'identity.invalid'
  | 'identity.duplicate'
  | 'phone.notE164'
  | 'clientContext.invalid'
  | 'clientContext.tooLong'
  | 'clientContext.pending'
  | 'callId.invalid'
  | 'request.invalid'
  | 'extra.invalid'
  | 'unknown_field';

/** Thrown by `bot.invite()` before any HTTP call when a request breaks a rule of the invite API. */
export class InviteValidationError extends GraphCommsError {
  /** The rule that was broken. */
  readonly rule: InviteRule;
  /** Index of the offending participant in `participants`, when one participant is at fault. */
  readonly participantIndex: number | undefined;
  /** Where in the request the key at fault is, e.g. `participants[0].replaceCallId` (key rules only). */
  readonly path: string | undefined;

  constructor(rule: InviteRule, message: string, participantIndex?: number, path?: string) {
    super('invite_invalid', prefixed(path ?? (participantIndex === undefined ? undefined : `participants[${participantIndex}]`), message));
    this.rule = rule;
    this.participantIndex = participantIndex;
    this.path = path;
  }
}

/** A field of a call action's request that a rule is about. */
export type RequestField =
  | 'callId'
  | 'participantId'
  | 'request'
  | 'clientContext'
  | 'prompts'
  | 'customPrompt'
  | 'tones'
  | 'delayBetweenTonesMs'
  | 'stopTones'
  | 'bargeInAllowed'
  | 'playBeep'
  | 'initialSilenceTimeoutInSeconds'
  | 'maxSilenceTimeoutInSeconds'
  | 'maxRecordDurationInSeconds'
  | 'status'
  | 'role'
  | 'callbackUri'
  | 'acceptedModalities'
  | 'requestedModalities'
  | 'mediaConfig'
  | 'reason'
  | 'targets'
  | 'timeout'
  | 'transferTarget'
  | 'transferee'
  | 'transfer'
  | 'source'
  | 'meetingInfo'
  | 'joinUrl'
  | 'joinMeetingId'
  | 'callOptions'
  | 'participantCapacity'
  | 'chatInfo'
  | 'extra';

/** What is wrong with the field. */
export type RequestProblem = 'missing' | 'invalid' | 'tooMany' | 'tooLong' | 'outOfRange' | 'pending';

/**
 * Names the documented rule a request breaks, e.g. `prompts.tooMany`; `unknown_field` for a key
 * that the request's type does not name (a typo such as `replaceCallId`).
 */
export type RequestRule = `${RequestField}.${RequestProblem}` | 'unknown_field';

/**
 * Thrown by a handle method before any HTTP request when its arguments break a documented rule
 * of the Graph action (`invite` keeps throwing {@link InviteValidationError}).
 */
export class RequestValidationError extends GraphCommsError {
  /** The rule that was broken. */
  readonly rule: RequestRule;
  /** The action refused, e.g. `playPrompt`. */
  readonly action: string;
  /** Where in the request the key at fault is, e.g. `targets[0].identity.usr` (key rules only). */
  readonly path: string | undefined;

  constructor(action: string, rule: RequestRule, message: string, path?: string) {
    super('request_invalid', `${action}: ${prefixed(path, message)}`);
    this.action = action;
    this.rule = rule;
    this.path = path;
  }
}

/** The callback body is not a commsNotifications object; nothing of it was applied. */
export class NotificationFormatError extends GraphCommsError {
  /** Where in the body the problem is, e.g. `value[2].changeType`. */
  readonly path: string;

  constructor(path: string, message: string) {
    super('notification_invalid', `${path}: ${message}`);
    this.path = path;
  }
}

/** Graph answered a request with a non-2xx status, or could not be reached. */
export class GraphRequestError extends GraphCommsError {
  /** HTTP status from Graph; 0 when no answer arrived. */
  readonly status: number;
  /** Graph's own error code (`error.code` in its body), when it sent one. */
  readonly graphCode: string | undefined;
  /** Graph's own error message (`error.message`), when it sent one. */
  readonly graphMessage: string | undefined;
  /** Graph's `request-id` header, for support cases. */
  readonly requestId: string | undefined;

  constructor(init: { status: number; graphCode?: string; graphMessage?: string; requestId?: string; message?: string; cause?: unknown }) {
    const what = init.graphCode ? `${init.graphCode}: ${init.graphMessage ?? ''}`.trim() : (init.graphMessage ?? init.message ?? 'request failed');
    super(init.status === 0 ? 'graph_unreachable' : 'graph_error', init.status === 0 ? `Graph could not be reached: ${what}` : `Graph answered ${init.status} ${what}`, { cause: init.cause });
    this.status = init.status;
    this.graphCode = init.graphCode;
    this.graphMessage = init.graphMessage;
    this.requestId = init.requestId;
  }
}

/** The call store failed; the notification was not recorded and must not be acknowledged. */
export class StoreError extends GraphCommsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('store_unavailable', message, options);
  }
}
