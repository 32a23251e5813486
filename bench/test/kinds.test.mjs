// The parts of figures (4k) and (4x) (after npm run build): each kind's delivery causes its one
// event on a real bot, operation completions complete what the bot sent through the fake Graph,
// the store with an outbox makes the bot mark entries emitted, and the ratios pair rounds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallingBot, MemoryCallStore } from '@graph-comms/core';
import { APP_ID } from '../lib/fixtures.mjs';
import { clientContextFor, fakeGraphClient, operationIdFor } from '../lib/fake-graph.mjs';
import { callKinds, EVENT_OF, KINDS } from '../lib/kinds.mjs';
import { memoryStore, OutboxMemoryStore } from '../lib/outbox-store.mjs';
import { kindRatios, outboxRatios, pairedRatio } from '../engine-ratios.mjs';
import { engineRows } from '../report-engine.mjs';

function botOn(store) {
  const bot = new CallingBot({ appId: APP_ID, tokenVerifier: false, logger: false, store, graphClient: fakeGraphClient().client });
  const events = {};
  for (const name of ['rosterUpdated', 'operationCompleted', 'operationFailed', 'toneReceived', 'callUpdated', 'error']) bot.on(name, () => (events[name] = (events[name] ?? 0) + 1));
  return { bot, events };
}

describe('kinds of notification', () => {
  it('gives each operation an id of its own, from its clientContext', () => {
    const a = clientContextFor(1, 5);
    const b = clientContextFor(2, 5);
    assert.notEqual(operationIdFor(a), operationIdFor(b));
    assert.match(operationIdFor(a), /^00000001-0a0a-4000-8000-000000000005$/);
  });

  it('causes one event per delivery of every kind, on established calls', async () => {
    const { bot, events } = botOn(new MemoryCallStore());
    const { populate, visitors } = callKinds(bot, 100, { width: 16, refillSize: 32 });
    await populate();
    assert.equal(bot.store.size, 100);
    for (const kind of KINDS) {
      const before = events[EVENT_OF[kind]] ?? 0;
      const visitor = visitors[kind];
      for (let n = 0; n < 48; n += 1) {
        if (visitor.refill && visitor.left() === 0) await visitor.refill();
        await bot.processNotifications(visitor.next());
      }
      assert.equal((events[EVENT_OF[kind]] ?? 0) - before, 48, `${kind}: one ${EVENT_OF[kind]} per delivery`);
    }
    assert.equal(events.operationFailed, undefined);
    assert.equal(events.error, undefined);
    await bot.close();
  });

  it('keeps an outbox only on the store that says it outlives the process', async () => {
    assert.equal(new OutboxMemoryStore().outlivesProcess, true);
    assert.equal(memoryStore(false, {}).outlivesProcess, false);
    for (const outbox of [false, true]) {
      const store = memoryStore(outbox, {});
      let marked = 0;
      const mark = store.markEmitted.bind(store);
      store.markEmitted = (callId, ids) => ((marked += 1), mark(callId, ids));
      const { bot } = botOn(store);
      const { populate } = callKinds(bot, 10, { width: 5 });
      await populate();
      await bot.close();
      assert.equal(marked > 0, outbox, `outbox ${outbox}: markEmitted called ${marked} times`);
    }
  });

  it('pairs rounds for the ratios, and says nothing without both sides', () => {
    const rounds = (...rates) => rates.map((perSecond) => ({ perSecond }));
    assert.deepEqual(pairedRatio(rounds(50, 90, 80), rounds(100, 100, 100)), { median: 0.8, min: 0.5, max: 0.9, rounds: [0.5, 0.9, 0.8] });
    assert.equal(pairedRatio(rounds(50), []), undefined);
    const run = (outbox, rate) => ({ role: 'kinds', outbox, calls: 10, rounds: Object.fromEntries(KINDS.map((k, i) => [k, rounds(rate * (i + 1))])) });
    const size = { role: 'size', subject: 'bot', calls: 10, rounds: { spread: rounds(200) } };
    const kinds = kindRatios([size, run(false, 100), run(true, 50)]);
    assert.equal(kinds.operation.median, 2);
    assert.equal(kinds.rosterVsSize.median, 0.5);
    assert.equal(outboxRatios([run(false, 100), run(true, 50)]).tone.median, 0.5);
    assert.equal(kindRatios([size]), undefined);
    assert.equal(outboxRatios([run(false, 100)]), undefined);
  });

  it('puts every kind beside the rosters, with the target, and the outbox beside no outbox', () => {
    const rounds = (rate) => [{ perSecond: rate }, { perSecond: rate }];
    const run = (outbox, rates) => ({ role: 'kinds', subject: 'bot', outbox, calls: 1000, flags: [], rounds: Object.fromEntries(KINDS.map((k) => [k, rounds(rates[k])])), ...Object.fromEntries(KINDS.map((k) => [k, { perSecond: rates[k] }])) });
    const runs = [run(false, { roster: 100, operation: 50, tone: 95, callState: 120 }), run(true, { roster: 60, operation: 40, tone: 60, callState: 60 })];
    const rows = [];
    engineRows({ settings: { active: 1000 }, runs, ratios: [], kinds: kindRatios(runs), outbox: outboxRatios(runs) }, rows);
    assert.deepEqual(rows.filter((r) => r.id === '4k').map((r) => r.ok), [undefined, false, true, true]);
    assert.match(rows.find((r) => r.id === '4k' && r.ok === false).ratio, /^0\.50 \(0\.50–0\.50\) x rosters$/);
    assert.deepEqual(rows.filter((r) => r.id === '4x').map((r) => r.ratio.split(' ')[0]), ['0.60', '0.80', '0.63', '0.50']);
  });
});
