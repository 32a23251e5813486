// Figure 4, orchestrated: one child per size and subject (the bot, and the floor: a bare Map of
// rosters), all populated first, then measured in interleaved rounds so that a slow moment of
// this machine does not fall on one size only. Each figure is the median of its rounds; each
// ratio is taken within a round (neighbouring measurements), then the median.
// (4b): the bot once more at `boundCalls`, twice, fed only calls it has never seen: once with the
// store at its `maxCalls` bound (every new call evicts the oldest), once with no bound (the store
// grows). Their ratio is what evicting costs; it fell to a fraction when each eviction rescanned
// the map's deleted slots.
// (4k): at the smallest size, the calls established, every kind of notification a call lives
// through (lib/kinds.mjs), each as a ratio to the rosters of the same child in the same round.
// (4x): the same child once more on a memory store that keeps an outbox: what the outbox costs.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkNode, nextMessage, stop } from './lib/children.mjs';
import { KINDS } from './lib/kinds.mjs';
import { median } from './lib/stats.mjs';
import { kindRatios, outboxRatios } from './engine-ratios.mjs';

const script = fileURLToPath(new URL('./engine.mjs', import.meta.url));
const MODES = ['spread', 'active'];
const FRESH = ['fresh'];
const YOUNG_GENERATION_FLAG = '--max-semi-space-size=64';

/**
 * settings: { sizes, rounds, warmupMs, measureMs, active, boundCalls?, profileDir? }. With profileDir, each
 * child's first measured round is CPU-profiled there (bench/profile-summary.mjs reads the files).
 * Resolves { settings, runs, ratios, bound, kinds, outbox } (the last two: engine-ratios.mjs) or { error }.
 */
export async function engineFigures(settings, log) {
  const { sizes, rounds, warmupMs, measureMs, active, profileDir, boundCalls = sizes.at(-1) } = settings;
  const runs = [];
  try {
    // The bot and the floor at every size, and the bot at the largest size once more with a
    // larger young generation: how much of what is lost there is V8's GC tuning. The kinds
    // children get --expose-gc only to collect what sending pending operations left behind
    // before their completions are timed (lib/kinds.mjs).
    const plan = [
      ...['bot', 'floor'].flatMap((subject) => sizes.map((calls) => ({ role: 'size', subject, calls, flags: [], modes: MODES }))),
      { role: 'tuned', subject: 'bot', calls: sizes.at(-1), flags: [YOUNG_GENERATION_FLAG], modes: MODES },
      ...[true, false].map((bound) => ({ role: 'bound', subject: 'bot', calls: boundCalls, flags: [], modes: FRESH, bound })),
      ...[false, true].map((outbox) => ({ role: 'kinds', subject: 'bot', calls: sizes[0], flags: [], gcFlags: ['--expose-gc'], modes: KINDS, outbox })),
    ];
    for (const { role, subject, calls, flags, gcFlags = [], modes, bound = false, outbox = false } of plan) {
      const what = role === 'bound' ? ` new calls, ${bound ? 'at maxCalls' : 'no bound'}` : role === 'kinds' ? ` established, every kind of notification${outbox ? ', store with an outbox' : ''}` : '';
      log(`  (4${{ bound: 'b', kinds: outbox ? 'x' : 'k' }[role] ?? ''}) ${subject}${flags.length ? ` (${flags.join(' ')})` : ''}${what}: tracking ${calls.toLocaleString('en-US')} calls...`);
      const config = { calls, subject, active, batch: 64, bound, kinds: role === 'kinds', outbox };
      const child = forkNode(script, { config, execArgv: ['--max-old-space-size=8192', ...flags, ...gcFlags] });
      runs.push({ role, subject, calls, flags, bound, outbox, modes, child, rounds: Object.fromEntries(modes.map((mode) => [mode, []])) });
      const { type: _type, ...ready } = await nextMessage(child, 'ready', 60_000 + calls / 10);
      Object.assign(runs.at(-1), ready);
    }
    log(`  (4) ${rounds} rounds of ${measureMs} ms per size, subject and spread`);
    for (let round = 0; round < rounds; round += 1) {
      for (const run of runs) {
        // The kinds go the other way round every other round, so that a drift of the machine
        // does not always fall on the same side of their ratios to the rosters.
        for (const mode of run.role === 'kinds' && round % 2 === 1 ? [...run.modes].reverse() : run.modes) {
          const tag = `${run.role === 'size' ? '' : `-${run.role}`}${run.outbox ? '-outbox' : ''}${mode === 'fresh' ? (run.bound ? '-bound' : '-unbound') : ''}`;
          const profileFile = profileDir && round === 0 ? join(profileDir, `engine-${run.subject}-${run.calls}${tag}-${mode}.cpuprofile`) : undefined;
          run.child.send({ type: 'measure', mode, warmupMs: round === 0 ? warmupMs : warmupMs / 4, measureMs, profileFile });
          const { type: _type, ...result } = await nextMessage(run.child, 'round', warmupMs + measureMs + 60_000);
          run.rounds[mode].push(result);
        }
      }
    }
  } catch (error) {
    return { error: error.message };
  } finally {
    await Promise.all(runs.map((r) => stop(r.child, 5000)));
  }
  const out = runs.map(({ child: _child, rounds: byMode, modes, ...rest }) => ({
    ...rest,
    fresh: modes === FRESH,
    modes,
    ...Object.fromEntries(
      modes.map((mode) => {
        const list = byMode[mode];
        return [mode, {
          perSecond: median(list.map((r) => r.perSecond)),
          rounds: list.map((r) => Math.round(r.perSecond)),
          gcShare: median(list.map((r) => r.gcShare)),
          changesPerDelivery: median(list.map((r) => r.changesPerDelivery)),
          heapUsedBytes: list.at(-1)?.heapUsedBytes,
          size: list.at(-1)?.size,
          grew: list.map((r) => r.grew),
          errors: list.at(-1)?.errors ?? 0,
          operationsPerRecord: list.at(-1)?.operationsPerRecord,
        }];
      }),
    ),
  }));
  return { settings, runs: out, ratios: ratiosOf(runs), bound: boundRatio(runs), kinds: kindRatios(runs), outbox: outboxRatios(runs) };
}

/** (4b): new calls at the maxCalls bound over new calls with no bound, per round, then the median. */
function boundRatio(runs) {
  const at = runs.find((r) => r.role === 'bound' && r.bound);
  const below = runs.find((r) => r.role === 'bound' && !r.bound);
  if (!at || !below) return undefined;
  const perRound = at.rounds.fresh.map((r, i) => r.perSecond / (below.rounds.fresh[i]?.perSecond ?? NaN));
  return {
    calls: at.calls,
    atBound: median(at.rounds.fresh.map((r) => r.perSecond)),
    belowBound: median(below.rounds.fresh.map((r) => r.perSecond)),
    ratio: median(perRound),
    rounds: perRound.map((x) => Number(x.toFixed(3))),
    sizeAtBound: at.rounds.fresh.at(-1)?.size,
  };
}

/** Largest over smallest size, per subject and mode: the median of per-round ratios. */
function ratiosOf(runs) {
  const ratios = [];
  for (const subject of ['bot', 'floor']) {
    const mine = runs.filter((r) => r.subject === subject && r.role === 'size').sort((a, b) => a.calls - b.calls);
    const small = mine[0];
    for (const large of mine.slice(1)) {
      for (const mode of MODES) {
        const perRound = large.rounds[mode].map((r, i) => r.perSecond / (small.rounds.spread[i]?.perSecond ?? NaN));
        ratios.push({ subject, mode, calls: large.calls, against: small.calls, ratio: median(perRound), rounds: perRound.map((x) => Number(x.toFixed(3))) });
      }
    }
  }
  return ratios;
}
