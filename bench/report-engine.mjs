// The engine's rows of the table: figure (4) at each size and its ratios, (4t), (4o), (4f), (4b),
// then (4k), every kind of notification against the rosters of the same child, and (4x), the
// same on a store that keeps an outbox, against the same store without one.
import { failed, int, ratio, spread } from './lib/format.mjs';
import { KINDS } from './lib/kinds.mjs';

const WHAT = {
  roster: 'rosters (a participant changes)',
  operation: 'operation completions (playPrompt the bot sent)',
  tone: 'DTMF tones (toneInfo, rising sequenceId)',
  callState: 'call updates (media state flips)',
};

/** Figure 4: the bot at each size, then the ratios, with the floor's beside them. */
export function engineRows(engine, out) {
  const problem = failed(engine);
  if (problem || !engine.runs) return out.push({ id: '4', figure: 'engine', value: problem ?? 'not run' });
  const active = engine.settings.active;
  const bot = engine.runs.filter((r) => r.subject === 'bot' && r.role === 'size');
  const floor = engine.runs.filter((r) => r.subject === 'floor' && r.role === 'size');
  const tuned = engine.runs.filter((r) => r.role === 'tuned');
  const smallest = bot[0]?.calls;
  const who = (calls, mode) => (calls <= active || mode === 'spread' ? 'all active' : `${int(active)} active`);
  // At the smallest size every call is active: 'spread' makes the same visits as 'active'.
  const measured = (mode) => bot.filter((r) => !(r.calls === smallest && mode === 'spread'));
  for (const mode of ['active', 'spread']) {
    for (const r of measured(mode)) {
      out.push({ id: mode === 'active' ? '4' : '4s', figure: `engine, ${int(r.calls)} calls tracked, ${who(r.calls, mode)}`, value: `${int(r[mode].perSecond)} notif/s`, target: '>= 300,000/s', ok: r[mode].perSecond >= 300_000 });
    }
  }
  for (const mode of ['active', 'spread']) {
    const largest = engine.ratios.filter((x) => x.subject === 'bot' && x.mode === mode).at(-1);
    const base = engine.ratios.filter((x) => x.subject === 'floor' && x.mode === mode).at(-1);
    if (!largest) continue;
    const figure = `engine ${int(largest.calls)} / ${int(largest.against)} calls, ${who(largest.calls, mode)}`;
    out.push({ id: mode === 'active' ? '4r' : '4rs', figure, value: `${ratio(largest.ratio)} x`, ratio: base ? `floor ${ratio(base.ratio)}` : '', target: '>= 0.90', ok: largest.ratio >= 0.9 });
  }
  for (const r of tuned) {
    for (const mode of ['active', 'spread']) {
      out.push({ id: '4t', figure: `engine, ${int(r.calls)} tracked, ${who(r.calls, mode)}, ${r.flags.join(' ')}`, value: `${int(r[mode].perSecond)} notif/s`, target: 'informational' });
    }
  }
  // What the bot adds to the floor, per notification: if this does not grow with the number of
  // calls, what the bot loses with many calls is the machine's, not the framework's.
  for (const mode of ['active', 'spread']) {
    for (const r of measured(mode)) {
      const base = floor.find((f) => f.calls === r.calls);
      if (!base) continue;
      const own = 1e6 / r[mode].perSecond - 1e6 / base[mode].perSecond;
      out.push({ id: '4o', figure: `bot's own cost over the floor, ${int(r.calls)} tracked, ${who(r.calls, mode)}`, value: `${own.toFixed(2)} µs/notif`, target: 'informational' });
    }
  }
  for (const r of floor) {
    out.push({ id: '4f', figure: `floor (a Map of rosters), ${int(r.calls)} calls, all active`, value: `${int(r.spread.perSecond)} notif/s`, target: 'informational' });
  }
  // Evicting at the maxCalls bound: every notification is a new call, which evicts the oldest.
  const b = engine.bound;
  if (b) {
    out.push({ id: '4b', figure: `engine, new calls at maxCalls = ${int(b.calls)} (each evicts one)`, value: `${int(b.atBound)} notif/s`, target: 'informational' });
    out.push({ id: '4b', figure: `engine, new calls over ${int(b.calls)} tracked, no bound`, value: `${int(b.belowBound)} notif/s`, target: 'informational' });
    out.push({ id: '4br', figure: `engine at its maxCalls bound / below it, ${int(b.calls)} calls, new calls`, value: `${ratio(b.ratio)} x`, ratio: `rounds ${b.rounds.join('/')}`, target: '>= 0.80', ok: b.ratio >= 0.8 });
  }
  kindRows(engine, out);
}


/** (4k) and (4x): the kinds children, their rates, and their ratios of the same rounds. */
function kindRows(engine, out) {
  const plain = engine.runs.find((r) => r.role === 'kinds' && !r.outbox);
  const kept = engine.runs.find((r) => r.role === 'kinds' && r.outbox);
  if (plain && engine.kinds) {
    const held = plain.operation?.operationsPerRecord;
    for (const kind of KINDS) {
      const r = engine.kinds[kind];
      const base = kind === 'roster';
      const figure = `whole call: ${WHAT[kind]}, ${int(plain.calls)} established calls`;
      out.push({ id: '4k', figure, value: `${int(plain[kind].perSecond)} notif/s`, ratio: base ? '1.00' : `${spread(r)} x rosters`, target: base ? 'baseline' : '>= 0.90 x rosters', ok: base ? undefined : r?.median >= 0.9 });
    }
    if (engine.kinds.rosterVsSize) {
      const figure = `whole call: those rosters / (4) at ${int(plain.calls)} calls${Number.isFinite(held) ? ` (${held.toFixed(0)} operations a call by the end)` : ''}`;
      out.push({ id: '4k', figure, value: `${ratio(engine.kinds.rosterVsSize.median)} x`, ratio: spread(engine.kinds.rosterVsSize), target: 'informational' });
    }
  }
  if (kept && engine.outbox) {
    for (const kind of KINDS) {
      out.push({ id: '4x', figure: `outbox kept (outlivesProcess = true): ${WHAT[kind]}`, value: `${int(kept[kind].perSecond)} notif/s`, ratio: `${spread(engine.outbox[kind])} x no outbox`, target: 'informational' });
    }
  }
}
