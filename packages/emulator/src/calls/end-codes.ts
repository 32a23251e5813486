import type { ResultInfo } from '../types.js';

/**
 * The resultInfo of calls that end, from the "Call end reason codes" table of
 * Graph's delete-call page (and the transfer page for 0/7015).
 */

/** 200/5001: the bot hung up, or Graph ended the call. */
export const CONVERSATION_ENDED: ResultInfo = { code: 200, subcode: 5001, message: 'The conversation has ended.' };

/** 200/7000: the bot rejected or redirected an incoming call (an emulator choice: the pages show no resultInfo). */
export const ENDED_BY_BOT: ResultInfo = { code: 200, subcode: 7000, message: 'The conversation has ended by bot.' };

/** 408/1106: an incoming call the bot did not answer, reject or redirect in time. */
export const ANSWER_TIMEOUT: ResultInfo = { code: 408, subcode: 1106, message: 'An acknowledgement was not received for the call acceptance in the allotted time.' };

/** 408/8537: an established call that heard no keepAlive in time. */
export const KEEPALIVE_TIMEOUT: ResultInfo = { code: 408, subcode: 8537, message: 'Keep Alive timeout, cleaned up inactive call.' };

/** 0/7015: the transfer completed (as the transfer page's notification writes it). */
export const TRANSFER_COMPLETED: ResultInfo = { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' };

/** 480/10134: the callee of a created call declined it (the table has no "declined" row; this is its closest "rejected"). */
export const CALL_DECLINED: ResultInfo = { code: 480, subcode: 10134, message: 'Call rejected due to inability to route the call.' };

/** 480/10076: the callee of a created call did not pick up before the ring timeout. */
export const CALLEE_NOT_REACHED: ResultInfo = { code: 480, subcode: 10076, message: 'Callee could not be reached.' };
