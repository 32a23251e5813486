import type { CallKind, CallState, IdentitySet, JsonObject, OperationStatus, ResultInfo } from '../types.js';
import type { CallRecord } from './registry.js';
import { callResource, participantResource } from './resources.js';

/** Options of {@link GraphEmulator.createCall}. */
export interface CreateCallOptions {
  /** Where the call's callbacks go. */
  callbackUri: string;
  /** Identity sets of the people in the call besides the bot, e.g. `{ user: { id } }`. */
  participants?: IdentitySet[];
  /** Default: `peerToPeer` with one participant, `meeting` with meetingInfo, else `group`. */
  kind?: CallKind;
  /** The call id; a new GUID by default. */
  id?: string;
  /** The call's tenant; the emulator's tenant by default. */
  tenantId?: string;
  /** The meeting's chatInfo, for a meeting. */
  chatInfo?: JsonObject;
  /** The meeting's meetingInfo, for a meeting. */
  meetingInfo?: JsonObject;
  /** Send establishing/established/roster callbacks like `POST /communications/calls` (default: silent, already established). */
  announce?: boolean;
}

/** An operation of a call, as a test sees it. */
export interface OperationSnapshot {
  /** The operation's id. */
  id: string;
  /** The action that started it: `invite`, `playPrompt`, `recordResponse`, `muteParticipant`... */
  action: string;
  /** The clientContext the bot sent, if any. */
  clientContext: string | null;
  /** Where the operation stands. */
  status: OperationStatus;
  /** Its outcome code, once final. */
  resultInfo: ResultInfo | null;
  /** Fields beyond the common ones, as the last notification or response carried them (`recordingLocation`...). */
  fields: JsonObject;
}

/** A call as a test sees it: copies, safe to keep. */
export interface CallSnapshot {
  /** The call's id. */
  id: string;
  /** The call's state. */
  state: CallState;
  /** Peer to peer, group or meeting. */
  kind: CallKind;
  /** Whether the call was offered to the bot or placed by it. */
  direction: 'incoming' | 'outgoing';
  /** Where the call's callbacks go. */
  callbackUri: string;
  /** The call's tenant. */
  tenantId: string;
  /** Why the call ended, once it ended. */
  resultInfo: ResultInfo | null;
  /** The call resource, as `GET /communications/calls/{id}` answers it. */
  resource: JsonObject;
  /** The roster, as `GET .../participants` lists it. */
  participants: JsonObject[];
  /** The call's operations, oldest first. */
  operations: OperationSnapshot[];
  /** When the emulator created the call (ms since the epoch). */
  createdAt: number;
  /** True once a subscribeToTone succeeded on the call. */
  toneSubscribed: boolean;
}

/** A copy of the call's state. */
export function snapshot(call: CallRecord): CallSnapshot {
  return {
    id: call.id,
    state: call.state,
    kind: call.kind,
    direction: call.direction,
    callbackUri: call.callbackUri,
    tenantId: call.tenantId,
    resultInfo: call.resultInfo === null ? null : { ...call.resultInfo },
    resource: structuredClone(callResource(call)), // it shares parts with the call's request
    participants: [...call.participants.values()].map((p) => participantResource(p)),
    operations: [...call.operations.values()].map((op) => ({
      id: op.id,
      action: op.action,
      clientContext: op.clientContext,
      status: op.status,
      resultInfo: op.resultInfo === null ? null : { ...op.resultInfo },
      fields: structuredClone(op.fields),
    })),
    createdAt: call.createdAt,
    toneSubscribed: call.toneSubscribed,
  };
}
