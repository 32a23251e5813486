import type { ResultInfo } from '../model/graph.js';

/**
 * Why calls end, by the resultInfo of the terminated call, from Microsoft's end-code list
 * (call-delete page) and what bots meet in the wild. Keyed `code/subcode`, then `code/*`.
 */
const REASONS: Record<string, string> = {
  '200/4097': 'ended: the conversation was ended by a participant',
  '200/4521': 'ended: the call was ended by the other side',
  '200/5000': 'ended: the conversation has ended',
  '200/5001': 'ended: the conversation has ended',
  '200/5002': 'ended: the bot was the last participant',
  '200/5010': 'ended: every other participant left',
  '200/5012': 'ended: the call was moved to another device',
  '200/5020': 'ended: the caller hung up',
  '200/5030': 'ended: the call was ended by the service',
  '200/7000': 'ended by the bot',
  '200/7015': 'transferred',
  '0/7015': 'transferred',
  '408/1106': 'not answered in time: the bot did not answer, reject or redirect within 15 s',
  '408/8537': 'keepAlive missed: no keepAlive for 45 minutes',
  '408/10057': 'timed out: the other side did not answer',
  '410/301005': 'media connectivity failure',
  '480/*': 'the callee could not be reached',
  '486/*': 'the callee is busy',
  '500/1005': 'internal error in the calling service',
  '500/7106': 'internal error: the media session ended',
  '500/9999': 'the media processor shut down',
  '603/*': 'declined',
};

const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A readable reason for a call's ending resultInfo; undefined for codes not in the list (the numbers stay on resultInfo). */
export function endReason(resultInfo: ResultInfo | undefined): string | undefined {
  const code = asNumber(resultInfo?.code);
  if (code === undefined) return undefined;
  const subcode = asNumber(resultInfo?.subcode);
  return (subcode !== undefined ? REASONS[`${code}/${subcode}`] : undefined) ?? REASONS[`${code}/*`];
}
