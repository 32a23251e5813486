// The callback bodies of the two HTTP workloads, as templates: JSON text cut at the places that
// change from one request to the next. The Lua script (callbacks.lua) and the Node twin (fill.mjs)
// fill them in the same way, so wrk and the paced generator send the same bytes.
// Placeholders: I = the call's index (12 hex digits, the tail of every id of that call), S = the
// visit's sequence number (rosterSequenceNumber, toneInfo.sequenceId), V = the visit (8 hex
// digits, the head of a per-visit operation id and clientContext), T = a DTMF tone name.
import { body, callIdOf, notification as anyNotification, rosterBody, TENANT_ID } from '../lib/fixtures.mjs';

// Sentinels that JSON.stringify leaves as they are and no fixture contains otherwise.
const CALL = 0xfedcba987654; // hex12: 'fedcba987654'
const SEQ = 987654321;
const MARKS = { fedcba987654: 'I', [SEQ]: 'S', '@@V@@': 'V', '@@T@@': 'T' };
const MARK_RE = /fedcba987654|987654321|@@V@@|@@T@@/g;

/** The DTMF tones the mix presses, in order of the visit. */
export const TONES = ['tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9', 'tone0', 'star', 'pound'];

/** Cuts JSON text into [literal, name, literal, name, ..., literal]. */
export function cut(text) {
  if (/[\t\n\r]/.test(text)) throw new Error('a template must not contain tabs or line breaks');
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(MARK_RE)) {
    parts.push(text.slice(last, match.index), MARKS[match[0]]);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));
  return parts;
}

const callId = callIdOf(CALL);
const notification = (changeType, tail, resourceData) => anyNotification(callId, changeType, tail, resourceData);
const call = (extra) => ({
  '@odata.type': '#microsoft.graph.call',
  state: 'established',
  direction: 'incoming',
  callbackUri: 'https://bot.example.com/api/calls',
  requestedModalities: ['audio'],
  mediaState: { '@odata.type': '#microsoft.graph.callMediaState', audio: 'active' },
  tenantId: TENANT_ID,
  id: callId,
  ...extra,
});
const perVisit = (head) => `@@V@@-${head}-4000-8000-fedcba987654`;
const leaving = () => {
  const roster = rosterBody(CALL, SEQ, false, 1, 1);
  roster.value[0].changeType = 'deleted';
  return roster;
};

/** The workloads: `calls` is how many calls the visits go round (0: a new call on every request). */
export const WORKLOADS = Object.freeze({
  'new-call': {
    description: 'every request the first roster notification of a call never seen before',
    calls: 0,
    bodies: () => [rosterBody(CALL, 1, false)],
  },
  mix: {
    description: '300 calls visited in turn; each visit the next of: state established, a participant joins, mute, an operation completes (clientContext), a tone, unmute, a tone, the participant leaves',
    calls: 300,
    bodies: () => [
      body(notification('updated', '', call({}))),
      rosterBody(CALL, SEQ, false, 1, 1),
      rosterBody(CALL, SEQ, true, 1, 0),
      body(notification('deleted', `/operations/${perVisit('0a0a')}`, {
        '@odata.type': '#microsoft.graph.playPromptOperation', id: perVisit('0a0a'), status: 'completed', clientContext: perVisit('c1c1'),
        completionReason: 'completedSuccessfully', resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 200, subcode: 0, message: 'Action completed successfully.' },
      })),
      body(notification('updated', '', call({ toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: SEQ, tone: '@@T@@' } }))),
      rosterBody(CALL, SEQ, false, 1, 0),
      body(notification('updated', '', call({ toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: SEQ, tone: '@@T@@' } }))),
      leaving(),
    ],
  },
});

/** The templates of a workload, in the order of the visits. Throws on an unknown name. */
export function templatesOf(name) {
  const workload = WORKLOADS[name];
  if (!workload) throw new Error(`unknown workload "${name}" (known: ${Object.keys(WORKLOADS).join(', ')})`);
  return workload.bodies().map((b) => cut(JSON.stringify(b)));
}
