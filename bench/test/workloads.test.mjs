// The workloads' bodies (Node twin): valid Graph callbacks that name the right calls, every step
// of the mix as often as the others, sequence numbers rising per call, no call repeated in new-call.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callIdOf } from '../lib/fixtures.mjs';
import { bodySource, fill, visitOf } from '../wrk/fill.mjs';
import { cut, templatesOf, WORKLOADS } from '../wrk/templates.mjs';

const callOf = (body) => body.value[0].resourceUrl.split('/')[3];

describe('workload templates', () => {
  it('cuts JSON text at the placeholders and fills it back', () => {
    const parts = cut('{"a":"x-fedcba987654","n":987654321,"t":"@@T@@","v":"@@V@@"}');
    assert.deepEqual(parts.filter((_, p) => p % 2 === 1), ['I', 'S', 'T', 'V']);
    assert.equal(fill(parts, { I: '00000000000a', S: '7', T: 'star', V: '0000000b' }), '{"a":"x-00000000000a","n":7,"t":"star","v":"0000000b"}');
  });

  it('refuses a template with a tab or a line break, and an unknown workload', () => {
    assert.throws(() => cut('{"a":"\t"}'), /tabs or line breaks/);
    assert.throws(() => templatesOf('nope'), /unknown workload "nope"/);
  });

  it('new-call: a different call on every request, from base on', () => {
    const next = bodySource('new-call', { base: 1000 });
    const calls = Array.from({ length: 500 }, () => callOf(JSON.parse(next())));
    assert.equal(new Set(calls).size, 500);
    assert.equal(calls[0], callIdOf(1000));
    assert.deepEqual(visitOf(WORKLOADS['new-call'].calls, 7, 1000, 5), { i: 1007, v: 5 });
  });

  it('mix: the calls in turn, every step equally often, rising sequence numbers, one operation id per completion', () => {
    const { calls } = WORKLOADS.mix;
    const steps = templatesOf('mix').length;
    const next = bodySource('mix', { gen: 3_000_000 });
    const kinds = new Map();
    const lastSeq = new Map();
    const operations = new Set();
    for (let k = 0; k < calls * steps; k += 1) {
      const body = JSON.parse(next());
      assert.equal(body['@odata.type'], '#microsoft.graph.commsNotifications');
      const n = body.value[0];
      assert.equal(callOf(body), callIdOf(k % calls));
      const kind = `${n.changeType} ${n.resourceUrl.split('/')[4] ?? 'call'}${n.resourceData.toneInfo ? ' tone' : ''}`;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      const seq = n.resourceData[0]?.rosterSequenceNumber ?? n.resourceData.toneInfo?.sequenceId;
      if (seq !== undefined) {
        assert.ok(seq > (lastSeq.get(k % calls) ?? 3_000_000), `sequence ${seq} of call ${k % calls} does not rise`);
        lastSeq.set(k % calls, seq);
      }
      if (n.resourceData.clientContext) operations.add(n.resourceData.id);
    }
    assert.deepEqual(Object.fromEntries(kinds), { 'updated call': calls, 'updated participants': 3 * calls, 'deleted operations': calls, 'updated call tone': 2 * calls, 'deleted participants': calls });
    assert.equal(operations.size, calls);
  });
});
