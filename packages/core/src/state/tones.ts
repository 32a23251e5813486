import type { Call } from '../model/graph.js';
import { isRecord } from '../model/json.js';
import type { CallRecord } from './call-record.js';
import { emit, type Effect } from './effects.js';

/** How many tone sequence ids a call remembers, to fire each tone once. */
const RECENT_TONES = 64;

/**
 * A DTMF tone in a call update (`toneInfo {sequenceId, tone}`, after subscribeToTone): its
 * toneReceived effect, once per sequenceId, and the record that remembers it.
 */
export function toneStep(record: CallRecord, data: Call): { tones: number[] | undefined; effects: Effect[] } {
  const info = data['toneInfo'];
  if (!isRecord(info)) return { tones: undefined, effects: [] };
  const sequenceId = Number(info['sequenceId']);
  const tone = info['tone'];
  if (!Number.isFinite(sequenceId) || typeof tone !== 'string' || tone.length === 0) return { tones: undefined, effects: [] };
  const seen = record.tones ?? [];
  // Older than all it remembers: a repeat from long ago.
  if (seen.includes(sequenceId) || (seen.length >= RECENT_TONES && sequenceId < Math.min(...seen))) return { tones: undefined, effects: [] };
  return { tones: [...seen.slice(-(RECENT_TONES - 1)), sequenceId], effects: [emit('toneReceived', { callId: record.callId, tone, sequenceId })] };
}
