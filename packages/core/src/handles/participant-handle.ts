import type { OperationSender } from '../bot/operation-sender.js';
import type { Operation } from '../operations/operation.js';
import type { StartHoldMusicRequest, WithClientContext } from '../operations/requests.js';
import { accepted } from './accepted.js';

/** One participant of a call: requests under `/communications/calls/{callId}/participants/{id}`. Made by `call.participant(id)`. */
export class ParticipantHandle {
  readonly #sender: OperationSender;

  /** @internal Use `bot.call(callId).participant(id)`. */
  constructor(
    /** The call id. */
    readonly callId: string,
    /** The participant id. */
    readonly id: string,
    sender: OperationSender,
  ) {
    this.#sender = sender;
  }

  /** Mutes the participant (server mute; group calls). Graph answers it completed. */
  mute(request?: WithClientContext): Promise<Operation<'muteParticipant'>> {
    return this.#sender.start('muteParticipant', this.#target(), request);
  }

  /** Removes the participant from the call (needs a tenant setting for the app). */
  remove(): Promise<void> {
    return accepted(this.#sender.perform('removeParticipant', this.#target()));
  }

  /** Puts the participant on hold, with Graph's music or `customPrompt`; one participant at a time. */
  startHoldMusic(request?: StartHoldMusicRequest): Promise<Operation<'startHoldMusic'>> {
    return this.#sender.start('startHoldMusic', this.#target(), request);
  }

  /** Brings the participant back from hold. */
  stopHoldMusic(request?: WithClientContext): Promise<Operation<'stopHoldMusic'>> {
    return this.#sender.start('stopHoldMusic', this.#target(), request);
  }

  #target() {
    return { callId: this.callId, participantId: this.id };
  }
}
