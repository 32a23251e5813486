/** Graph's call states, in its documented spelling. */
export const CALL_STATES = [
  'incoming',
  'establishing',
  'ringing',
  'established',
  'hold',
  'transferring',
  'transferAccepted',
  'redirecting',
  'terminating',
  'terminated',
] as const;

/** One of {@link CALL_STATES}. */
export type CallState = (typeof CALL_STATES)[number];

/**
 * How far along a call is. States of one rank follow each other in any order (a call goes on
 * hold and back, a transfer falls back to established); a state of a lower rank than the
 * call's is a late notification and changes nothing.
 */
const RANK: Record<CallState, number> = {
  incoming: 0,
  establishing: 1,
  ringing: 1,
  redirecting: 1,
  established: 2,
  hold: 2,
  transferring: 2,
  transferAccepted: 2,
  terminating: 3,
  terminated: 4,
};

const byLowerCase = new Map<string, CallState>(CALL_STATES.map((s) => [s.toLowerCase(), s]));

/** `Established` → `established`; undefined for anything that is not a documented state. */
export const callState = (value: unknown): CallState | undefined => (typeof value === 'string' ? byLowerCase.get(value.toLowerCase()) : undefined);

/** Whether a call in `current` may move to `reported`: never backwards. */
export const canMove = (current: CallState | undefined, reported: CallState): boolean => current === undefined || RANK[reported] >= RANK[current];
