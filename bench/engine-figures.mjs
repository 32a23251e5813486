// Figure 4, orchestrated: one child per size and subject (the bot, and the floor: a bare Map of
// rosters), all populated first, then measured in interleaved rounds so that a slow moment of
// this machine does not fall on one size only. Each figure is the median of its rounds; each
// ratio is taken within a round (neighbouring measurements), then the median.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkNode, nextMessage, stop } from './lib/children.mjs';
import { median } from './lib/stats.mjs';

const script = fileURLToPath(new URL('./engine.mjs', import.meta.url));
const MODES = ['spread', 'active'];
const YOUNG_GENERATION_FLAG = '--max-semi-space-size=64';

/**
 * settings: { sizes, rounds, warmupMs, measureMs, active, profileDir? }. With profileDir, each
 * child's first measured round is CPU-profiled there (bench/profile-summary.mjs reads the files).
 * Resolves { settings, runs, ratios } or { error }.
 */
export async function engineFigures(settings, log) {
  const { sizes, rounds, warmupMs, measureMs, active, profileDir } = settings;
  const runs = [];
  try {
    // The bot and the floor at every size, and the bot at the largest size once more with a
    // larger young generation: how much of what is lost there is V8's GC tuning.
    const plan = [
      ...['bot', 'floor'].flatMap((subject) => sizes.map((calls) => ({ subject, calls, flags: [] }))),
      { subject: 'bot', calls: sizes.at(-1), flags: [YOUNG_GENERATION_FLAG] },
    ];
    for (const { subject, calls, flags } of plan) {
      log(`  (4) ${subject}${flags.length ? ` (${flags.join(' ')})` : ''}: tracking ${calls.toLocaleString('en-US')} calls...`);
      const child = forkNode(script, { config: { calls, subject, active, batch: 64 }, execArgv: ['--max-old-space-size=8192', ...flags] });
      runs.push({ subject, calls, flags, child, rounds: { spread: [], active: [] } });
      const { type: _type, ...ready } = await nextMessage(child, 'ready', 60_000 + calls / 10);
      Object.assign(runs.at(-1), ready);
    }
    log(`  (4) ${rounds} rounds of ${measureMs} ms per size, subject and spread`);
    for (let round = 0; round < rounds; round += 1) {
      for (const run of runs) {
        for (const mode of MODES) {
          const profileFile = profileDir && round === 0 ? join(profileDir, `engine-${run.subject}-${run.calls}${run.flags.length ? '-tuned' : ''}-${mode}.cpuprofile`) : undefined;
          run.child.send({ type: 'measure', spread: mode === 'spread', warmupMs: round === 0 ? warmupMs : warmupMs / 4, measureMs, profileFile });
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
  const out = runs.map(({ child: _child, rounds: byMode, ...rest }) => ({
    ...rest,
    ...Object.fromEntries(
      MODES.map((mode) => {
        const list = byMode[mode];
        return [mode, {
          perSecond: median(list.map((r) => r.perSecond)),
          rounds: list.map((r) => Math.round(r.perSecond)),
          gcShare: median(list.map((r) => r.gcShare)),
          changesPerDelivery: median(list.map((r) => r.changesPerDelivery)),
          heapUsedBytes: list.at(-1)?.heapUsedBytes,
          errors: list.at(-1)?.errors ?? 0,
        }];
      }),
    ),
  }));
  return { settings, runs: out, ratios: ratiosOf(runs) };
}

/** Largest over smallest size, per subject and mode: the median of per-round ratios. */
function ratiosOf(runs) {
  const ratios = [];
  for (const subject of ['bot', 'floor']) {
    const mine = runs.filter((r) => r.subject === subject && r.flags.length === 0).sort((a, b) => a.calls - b.calls);
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
