// wrk with callbacks.lua sends exactly the bodies of the Node twin (fill.mjs), with the headers;
// its result line is read, and a run that cannot be made says why.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findOnPath } from '../../scripts/system-deps/probe.mjs';
import { bodySource, writeWorkloadFile } from '../wrk/fill.mjs';
import { parseWrkOutput, runWrk } from '../wrk/run.mjs';

const line = (fields) => `Running 1s test\nWRK_RESULT ${JSON.stringify({ durationUs: 2e6, requests: 100, bytes: 1, connect: 0, read: 1, write: 0, status: 4, timeout: 2, p50Us: 1500, p99Us: 9000, maxUs: 12000, ...fields })}\n`;

describe('parseWrkOutput', () => {
  it('reads the result line: 2xx answers, rate, socket errors, latencies', () => {
    const r = parseWrkOutput(line({}));
    assert.deepEqual({ ok: r.ok, rps: r.rps, notOk: r.notOk, socketErrors: r.socketErrors, p50Ms: r.p50Ms, p99Ms: r.p99Ms }, { ok: 96, rps: 48, notOk: 4, socketErrors: 3, p50Ms: 1.5, p99Ms: 9 });
  });
  it('says so when the line is missing, broken or incomplete', () => {
    assert.throws(() => parseWrkOutput('unable to connect to 127.0.0.1:1\n'), /no result line: unable to connect/);
    assert.throws(() => parseWrkOutput(''), /no result line: \(no output\)/);
    assert.throws(() => parseWrkOutput('WRK_RESULT {"durationUs":'), /does not parse/);
    assert.throws(() => parseWrkOutput(line({ durationUs: 0 })), /incomplete/);
  });
});

describe('runWrk with callbacks.lua', { skip: findOnPath('wrk') ? false : 'wrk is not installed (apt-get install wrk)' }, () => {
  const received = [];
  let server;
  let url;
  let dir;
  before(async () => {
    dir = mkdtempSync(join(os.tmpdir(), 'bench-wrk-test-'));
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d) => (body += d)).once('end', () => {
        received.push({ body, headers: req.headers });
        res.writeHead(202).end();
      });
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${server.address().port}/api/calls`;
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, base, gen] of [['mix', 0, 2_000_000], ['new-call', 3 * 2 ** 24, 0]]) {
    it(`${name}: the same bodies as the Node twin, request for request`, async () => {
      received.length = 0;
      const workloadFile = writeWorkloadFile(join(dir, `${name}.tsv`), name);
      const r = await runWrk({ pinning: {}, url, headers: { authorization: 'Bearer t0k' }, workloadFile, base, gen, connections: 1, seconds: 1 });
      assert.ok(received.length > 100 && r.ok <= received.length, `${received.length} received, ${r.ok} counted`);
      const next = bodySource(name, { base, gen });
      next(); // wrk calls request() once to check the script before it starts: index 0 is never sent
      for (const [j, got] of received.entries()) assert.equal(got.body, next(), `request ${j}`);
      assert.equal(received[0].headers.authorization, 'Bearer t0k');
      assert.equal(received[0].headers['content-type'], 'application/json');
    });
  }

  it('rejects with wrk\'s own words when the server cannot be reached, and on a missing workload file', async () => {
    const workloadFile = writeWorkloadFile(join(dir, 'mix.tsv'), 'mix');
    const run = (extra) => runWrk({ pinning: {}, url: 'http://127.0.0.1:1/api/calls', headers: {}, workloadFile, base: 0, gen: 0, connections: 1, seconds: 1, ...extra });
    await assert.rejects(run(), /wrk exited 1: unable to connect to 127\.0\.0\.1:1/);
    await assert.rejects(run({ workloadFile: join(dir, 'none.tsv') }), /no workload file/);
    await assert.rejects(run({ wrk: join(dir, 'no-such-wrk') }), /cannot run .*no-such-wrk/);
  });
});
