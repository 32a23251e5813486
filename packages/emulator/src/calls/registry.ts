import { randomUUID } from 'node:crypto';
import type { CallbackFaults } from '../fault-scripts.js';
import type { CallKind, CallState, IdentitySet, JsonObject, OperationStatus, ResultInfo } from '../types.js';

/** A participant of a call, as the emulator keeps it. */
export interface ParticipantRecord {
  readonly id: string;
  /** The identity set in notification form (typed, tenant filled in). */
  readonly identity: IdentitySet;
  /** Media source id of its audio stream, unique in the call. */
  readonly sourceId: string;
  isMuted: boolean;
  isInLobby: boolean;
  /** Sequence number of the roster change that last touched it. */
  rosterSequenceNumber: number;
}

/** An operation (an invite, a playPrompt, a mute...) started on a call. */
export interface OperationRecord {
  readonly id: string;
  readonly callId: string;
  /** The action that started it: `invite`, `playPrompt`, `muteParticipant`... */
  readonly action: string;
  /** Its `@odata.type`: `#microsoft.graph.playPromptOperation`... */
  readonly type: string;
  readonly clientContext: string | null;
  status: OperationStatus;
  resultInfo: ResultInfo | null;
  /** The invitationParticipantInfo entries, as requested (invites only; empty otherwise). */
  readonly participants: JsonObject[];
  /** Fields the operation carries besides the common ones (`recordingLocation`, `completionReason`...). */
  fields: JsonObject;
  /** The callback faults of the request that started it, for callbacks sent about it later (a cancel). */
  callbackFaults?: CallbackFaults;
}

/** The deadlines a call can run: the answer timeout of an incoming call, the keepAlive timeout. */
export type CallTimer = 'answer' | 'keepAlive';

/** A call, as the emulator keeps it. */
export interface CallRecord {
  readonly id: string;
  /** Where its callbacks go; an answer (or a reject/redirect) may name another. */
  callbackUri: string;
  readonly tenantId: string;
  readonly kind: CallKind;
  readonly direction: 'incoming' | 'outgoing';
  /** Identity of the bot in this call (the `source`). */
  readonly botIdentity: IdentitySet;
  /** Fields of the create request echoed in the call resource (targets, mediaConfig, chatInfo...). */
  readonly request: JsonObject;
  readonly callChainId: string;
  readonly myParticipantId: string;
  state: CallState;
  resultInfo: ResultInfo | null;
  readonly participants: Map<string, ParticipantRecord>;
  readonly operations: Map<string, OperationRecord>;
  rosterSequence: number;
  nextSourceId: number;
  /** Running deadlines, each with its cancel function. */
  readonly timers: Map<CallTimer, () => void>;
  /** True once a subscribeToTone succeeded: key presses are then notified. */
  toneSubscribed: boolean;
  /** Last toneInfo `sequenceId` sent on the call. */
  toneSequence: number;
  /** When the emulator created it (ms since the epoch). */
  readonly createdAt: number;
}

/** What a new call needs; the registry fills in ids and counters. */
export type NewCall = Pick<CallRecord, 'callbackUri' | 'tenantId' | 'kind' | 'direction' | 'botIdentity' | 'request' | 'state'> & {
  id?: string;
};

/** The calls the emulator knows, with the bookkeeping of their rosters. */
export class CallRegistry {
  private readonly calls = new Map<string, CallRecord>();
  /** Called with the id of each new call (the event stream listens). */
  onAdd: (id: string) => void = () => undefined;

  /** Records a new call; its id is a new GUID unless given. */
  add(call: NewCall): CallRecord {
    const id = call.id ?? randomUUID();
    if (this.calls.has(id)) throw new Error(`a call with id ${id} already exists`);
    const record: CallRecord = {
      ...call,
      id,
      callChainId: randomUUID(),
      myParticipantId: randomUUID(),
      resultInfo: null,
      participants: new Map(),
      operations: new Map(),
      rosterSequence: 0,
      nextSourceId: 1,
      timers: new Map(),
      toneSubscribed: false,
      toneSequence: 0,
      createdAt: Date.now(),
    };
    this.calls.set(id, record);
    this.onAdd(id);
    return record;
  }

  /** Every call, ended ones included, newest first. */
  list(): CallRecord[] {
    return [...this.calls.values()].reverse();
  }

  /** True when a call with this id exists (ended or not). */
  has(id: string): boolean {
    return this.calls.has(id);
  }

  get(id: string): CallRecord | undefined {
    return this.calls.get(id);
  }

  /** A call that can still take requests: known and not terminated. */
  live(id: string): CallRecord | undefined {
    const call = this.calls.get(id);
    return call === undefined || call.state === 'terminated' ? undefined : call;
  }

  /** Starts a roster change: the participants it touches carry the returned sequence number. */
  nextRosterSequence(call: CallRecord): number {
    call.rosterSequence += 1;
    return call.rosterSequence;
  }

  /** One roster change in which these identities join; the first may bring its own participant id. */
  join(call: CallRecord, identities: IdentitySet[], firstId?: string): ParticipantRecord[] {
    const sequence = this.nextRosterSequence(call);
    return identities.map((identity, i) => this.#addParticipant(call, identity, sequence, i === 0 ? firstId : undefined));
  }

  #addParticipant(call: CallRecord, identity: IdentitySet, sequence: number, id: string = randomUUID()): ParticipantRecord {
    const participant: ParticipantRecord = {
      id,
      identity,
      sourceId: String(call.nextSourceId++),
      isMuted: false,
      isInLobby: false,
      rosterSequenceNumber: sequence,
    };
    call.participants.set(participant.id, participant);
    return participant;
  }

  /** Takes a participant off the roster under a roster change `sequence`. */
  removeParticipant(call: CallRecord, participantId: string, sequence: number): ParticipantRecord | undefined {
    const participant = call.participants.get(participantId);
    if (participant === undefined) return undefined;
    call.participants.delete(participantId);
    participant.rosterSequenceNumber = sequence;
    return participant;
  }
}
