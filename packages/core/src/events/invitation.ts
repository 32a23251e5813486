import type { CommsOperation, InvitationParticipantInfo, ResultInfo } from '../model/graph.js';

/** What `bot.invite()` sends. */
export interface InviteRequest {
  /** One to five invitees; exactly one with `replacesCallId` or `participantId`. */
  participants: InvitationParticipantInfo[];
  /** Unique, at most 256 characters; a UUID is generated when missing. */
  clientContext?: string;
}

/** How an operation ended. */
export interface OperationOutcome {
  status: 'completed' | 'failed' | 'timedOut';
  /** The resourceData of the final notification (or of the response, when that was final). */
  operation?: CommsOperation;
  /** Graph's code, subcode and message, when it sent them. */
  resultInfo?: ResultInfo;
}

/** An invite that Graph accepted, and its outcome to come. */
export interface Invitation {
  callId: string;
  /** The operation id from the response (or its Location header); null until Graph names it. */
  id: string | null;
  clientContext: string;
  /** As Graph answered, in lower camel case, e.g. `running`. */
  status: string;
  participants: InvitationParticipantInfo[];
  /** Resolves once the operation is final or timed out; never rejects. */
  completion: Promise<OperationOutcome>;
}
