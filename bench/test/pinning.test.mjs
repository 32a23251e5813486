// CPU lists, the choice of CPUs for the load and the servers, and what to do about a missing wrk.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { choosePinning, parseCpuList, pinned } from '../lib/pinning.mjs';
import { decideWrk } from '../wrk/ensure.mjs';

describe('pinning', () => {
  it('parses CPU lists and refuses anything else', () => {
    assert.deepEqual(parseCpuList('0-1\n'), [0, 1]);
    assert.deepEqual(parseCpuList('4,0,2-3'), [0, 2, 3, 4]);
    for (const bad of ['', 'a', '3-1', '1,,2', '-1']) assert.throws(() => parseCpuList(bad), /not a CPU list/);
  });

  it('gives the load the first CPU and the servers the second', () => {
    const p = choosePinning({ cpus: [2, 5, 7], taskset: '/usr/bin/taskset' });
    assert.deepEqual([p.load, p.server], [2, 5]);
    assert.match(p.summary, /taskset -c 2.*taskset -c 5/);
    assert.deepEqual(pinned(p, p.load, 'wrk', ['-t1']), ['/usr/bin/taskset', ['-c', '2', 'wrk', '-t1']]);
  });

  it('does not pin with one CPU or without taskset, and says why', () => {
    const one = choosePinning({ cpus: [0], taskset: '/usr/bin/taskset' });
    assert.equal(one.load, undefined);
    assert.match(one.summary, /not pinned: .* 1 CPU/);
    assert.match(choosePinning({ cpus: [0, 1], taskset: undefined }).summary, /not pinned: taskset not found/);
    assert.deepEqual(pinned(one, one.load, 'wrk', ['-t1']), ['wrk', ['-t1']]);
  });
});

describe('decideWrk', () => {
  it('does nothing when wrk is there', () => assert.deepEqual(decideWrk({ found: true, canInstall: true, root: true }), { kind: 'none' }));
  it('installs it as root with apt-get, saying so in one line', () => {
    const action = decideWrk({ found: false, canInstall: true, root: true });
    assert.equal(action.kind, 'install');
    assert.match(action.message, /^bench: wrk missing; installing it with apt-get \(apt-get install -y -qq wrk\)$/);
  });
  it('stops with the exact command otherwise', () => {
    assert.deepEqual(decideWrk({ found: false, canInstall: false, root: false }), { kind: 'stop', message: 'bench: the HTTP figures need wrk, not found on PATH; install it (Debian/Ubuntu): sudo apt-get install -y wrk' });
    assert.match(decideWrk({ found: false, canInstall: false, root: true }).message, /: apt-get install -y wrk$/);
  });
});
