// The ratios of figures (4k) and (4x), each taken within a round (measurements of neighbouring
// moments), then the median, with the min–max of the rounds as its spread.
import { KINDS } from './lib/kinds.mjs';
import { spreadOf } from './lib/stats.mjs';

/** The median and the spread of per-round ratios a[i] / b[i] of two lists of rounds ({ perSecond }). */
export function pairedRatio(a, b) {
  const perRound = a.map((r, i) => r.perSecond / (b[i]?.perSecond ?? NaN)).filter(Number.isFinite);
  return perRound.length === 0 ? undefined : spreadOf(perRound);
}

const kindsRun = (runs, outbox) => runs.find((r) => r.role === 'kinds' && r.outbox === outbox);

/**
 * (4k): every kind over the rosters of the same child (the store without an outbox), per round;
 * and those rosters over (4)'s at the same size, whose calls never held an operation.
 */
export function kindRatios(runs) {
  const run = kindsRun(runs, false);
  if (!run) return undefined;
  const size = runs.find((r) => r.role === 'size' && r.subject === 'bot' && r.calls === run.calls);
  const rosterVsSize = size ? pairedRatio(run.rounds.roster, size.rounds.spread) : undefined;
  return { calls: run.calls, ...Object.fromEntries(KINDS.map((kind) => [kind, pairedRatio(run.rounds[kind], run.rounds.roster)])), rosterVsSize };
}

/** (4x): every kind with an outbox over the same kind without one, per round. */
export function outboxRatios(runs) {
  const kept = kindsRun(runs, true);
  const none = kindsRun(runs, false);
  if (!kept || !none) return undefined;
  return { calls: kept.calls, ...Object.fromEntries(KINDS.map((kind) => [kind, pairedRatio(kept.rounds[kind], none.rounds[kind])])) };
}
