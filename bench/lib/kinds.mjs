// Figure (4k): the kinds of notification an established call lives through, each a real change
// on every delivery, for one bot in one process: rosters (a participant's rosterSequenceNumber
// raised, isMuted flipped), completions of playPrompt operations the bot sent (through the
// in-process fake Graph), DTMF tones with rising sequenceIds, and call updates (the media state
// flipped between active and inactive). Bodies are parsed from JSON text, as a callback's are.
import { callIdOf, rosterJson } from './fixtures.mjs';
import { establishedBody, PROMPT, promptDoneBody, toneBody } from './call-bodies.mjs';
import { clientContextFor } from './fake-graph.mjs';

/** The kinds, in the order a round measures them. */
export const KINDS = ['roster', 'operation', 'tone', 'callState'];
/** The event each kind's delivery should cause once. */
export const EVENT_OF = { roster: 'rosterUpdated', operation: 'operationCompleted', tone: 'toneReceived', callState: 'callUpdated' };

const TONES = ['tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9', 'tone0', 'star', 'pound'];
const parsed = (value) => JSON.parse(JSON.stringify(value));
const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));

/**
 * The calls 0..calls-1 of `bot`, established with one participant by `populate()`, and a visitor
 * per kind: `next()` makes the next body; the operation visitor also has `left()` and `refill()`,
 * which sends `refillSize` playPrompts first (`width` at a time), outside what is timed.
 */
export function callKinds(bot, calls, { width = 64, refillSize = 2048 } = {}) {
  const rosterSeq = new Uint32Array(calls);
  const toneSeq = new Uint32Array(calls);
  const inactive = new Uint8Array(calls);
  // Calls in a scattered order (a stride coprime with their number): 64 in a row are 64 calls.
  const stride = gcd(7919, calls) === 1 ? 7919 : 1;
  const rotation = () => {
    let position = 0;
    return () => (position = (position + stride) % calls);
  };

  async function populate() {
    for (let first = 0; first < calls; first += width) {
      const pending = [];
      for (let i = first; i < Math.min(calls, first + width); i += 1) {
        rosterSeq[i] = 1;
        pending.push(bot.processNotifications(parsed(establishedBody(i))).then(() => bot.processNotifications(JSON.parse(rosterJson(i, 1, false)))));
      }
      await Promise.all(pending);
    }
  }

  const nextRoster = rotation();
  const nextTone = rotation();
  const nextState = rotation();
  const nextPrompt = rotation();
  let queue = [];
  let head = 0;
  let made = 0;
  async function refill() {
    queue = queue.slice(head); // what is left is still pending: completed first
    head = 0;
    for (let k = 0; k < refillSize; k += width) {
      const sending = [];
      for (let b = 0; b < width; b += 1) {
        const i = nextPrompt();
        const clientContext = clientContextFor((made += 1), i);
        queue.push([i, clientContext]);
        sending.push(bot.call(callIdOf(i)).playPrompt({ prompts: [PROMPT], clientContext }));
      }
      await Promise.all(sending);
    }
    // The garbage of sending goes now, not in the timed completions that follow (with --expose-gc).
    globalThis.gc?.({ type: 'minor' });
  }

  const visitors = {
    roster: {
      next() {
        const i = nextRoster();
        const s = (rosterSeq[i] += 1);
        return JSON.parse(rosterJson(i, s, s % 2 === 0));
      },
    },
    operation: { next: () => parsed(promptDoneBody(...queue[head++])), left: () => queue.length - head, refill },
    tone: {
      next() {
        const i = nextTone();
        const s = (toneSeq[i] += 1);
        return parsed(toneBody(i, s, TONES[s % TONES.length]));
      },
    },
    callState: {
      next() {
        const i = nextState();
        inactive[i] ^= 1;
        return parsed(establishedBody(i, inactive[i] ? 'inactive' : 'active'));
      },
    },
  };
  return { populate, visitors };
}
