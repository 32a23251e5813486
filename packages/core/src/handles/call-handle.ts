import type { OperationSender } from '../bot/operation-sender.js';
import type { Invitation, Operation, Transfer } from '../operations/operation.js';
import type {
  AnswerRequest,
  RedirectRequest,
  RejectRequest,
  TransferRequest,
  ChangeScreenSharingRoleRequest,
  InviteRequest,
  PlayPromptRequest,
  RecordResponseRequest,
  SendDtmfTonesRequest,
  UpdateRecordingStatusRequest,
  WithClientContext,
} from '../operations/requests.js';
import { accepted } from './accepted.js';
import { ParticipantHandle } from './participant-handle.js';

/**
 * One call, as the bot acts on it: each method sends one Graph request under
 * `/communications/calls/{id}`, checked against the action's documented rules first
 * (`RequestValidationError`, no request sent). Operation methods resolve an {@link Operation}
 * whose `completion` settles once Graph reports the outcome, or at `operationTimeoutMs`.
 * Made by `bot.call(callId)`, without I/O.
 */
export class CallHandle {
  readonly #sender: OperationSender;

  /** @internal Use `bot.call(callId)`. */
  constructor(
    /** The call id. */
    readonly id: string,
    sender: OperationSender,
  ) {
    this.#sender = sender;
  }

  /** Answers an incoming call (within 15 s of the offer), with audio and service-hosted media unless told otherwise. */
  answer(request?: AnswerRequest): Promise<void> {
    return accepted(this.#sender.perform('answer', { callId: this.id }, request));
  }

  /** Rejects an incoming call (`reason` none, busy or forbidden). */
  reject(request?: RejectRequest): Promise<void> {
    return accepted(this.#sender.perform('reject', { callId: this.id }, request));
  }

  /** Sends an incoming call on to 1 to 25 targets, which ring at once. */
  redirect(request: RedirectRequest): Promise<void> {
    return accepted(this.#sender.perform('redirect', { callId: this.id }, request));
  }

  /** Transfers the call; `completion` follows the call's states (there is no operation). */
  transfer(request: TransferRequest): Promise<Transfer> {
    return this.#sender.transfer(this.id, request);
  }

  /** Invites participants into the call (`participants/invite`); the same as `bot.invite(id, request)`. */
  invite(request: InviteRequest): Promise<Invitation> {
    return this.#sender.start('invite', { callId: this.id }, request);
  }

  /** Plays one to 20 prompts (`playPrompt`); completes when they have played. */
  playPrompt(request: PlayPromptRequest): Promise<Operation<'playPrompt'>> {
    return this.#sender.start('playPrompt', { callId: this.id }, request);
  }

  /** Plays at most one prompt, then records (`recordResponse`); the outcome's `operation` has `recordingLocation` and `recordingAccessToken`. */
  recordResponse(request?: RecordResponseRequest): Promise<Operation<'recordResponse'>> {
    return this.#sender.start('recordResponse', { callId: this.id }, request);
  }

  /** Asks Graph for the DTMF tones callers press (`subscribeToTone`); Graph answers it completed. */
  subscribeToTone(request?: WithClientContext): Promise<Operation<'subscribeToTone'>> {
    return this.#sender.start('subscribeToTone', { callId: this.id }, request);
  }

  /** Sends DTMF tones into the call (`sendDtmfTones`). */
  sendDtmfTones(request: SendDtmfTonesRequest): Promise<Operation<'sendDtmfTones'>> {
    return this.#sender.start('sendDtmfTones', { callId: this.id }, request);
  }

  /** Cancels the running and queued playPrompt and recordResponse operations (which then fail with 400/8508). */
  cancelMediaProcessing(request?: WithClientContext): Promise<Operation<'cancelMediaProcessing'>> {
    return this.#sender.start('cancelMediaProcessing', { callId: this.id }, request);
  }

  /** Mutes the bot itself (server mute; group calls). */
  mute(request?: WithClientContext): Promise<Operation<'mute'>> {
    return this.#sender.start('mute', { callId: this.id }, request);
  }

  /** Unmutes the bot itself. */
  unmute(request?: WithClientContext): Promise<Operation<'unmute'>> {
    return this.#sender.start('unmute', { callId: this.id }, request);
  }

  /** Tells Graph whether a policy-based recording bot records (`updateRecordingStatus`). */
  updateRecordingStatus(request: UpdateRecordingStatusRequest): Promise<Operation<'updateRecordingStatus'>> {
    return this.#sender.start('updateRecordingStatus', { callId: this.id }, request);
  }

  /** Makes the bot a screen-sharing viewer or sharer (app-hosted media group calls). */
  changeScreenSharingRole(request: ChangeScreenSharingRoleRequest): Promise<void> {
    return accepted(this.#sender.perform('changeScreenSharingRole', { callId: this.id }, request));
  }

  /** Keeps the call alive: Graph ends a call that heard none for 45 minutes (408/8537). */
  keepAlive(): Promise<void> {
    return accepted(this.#sender.perform('keepAlive', { callId: this.id }));
  }

  /** Hangs up: the bot leaves the call (`DELETE /communications/calls/{id}`). */
  hangUp(): Promise<void> {
    return accepted(this.#sender.perform('hangUp', { callId: this.id }));
  }

  /** One participant of the call, without I/O. */
  participant(participantId: string): ParticipantHandle {
    return new ParticipantHandle(this.id, participantId, this.#sender);
  }
}
