import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellOf, leadingNumber, sideBySide } from '../runs.mjs';

test('reads the leading number of every kind of table cell', () => {
  assert.equal(leadingNumber('0.85 (0.67–1.02)'), 0.85);
  assert.equal(leadingNumber('6,883 req/s'), 6883);
  assert.equal(leadingNumber('+1.2 MiB (peak +124.2 MiB)'), 1.2);
  assert.equal(leadingNumber('3,316 B'), 3316);
  assert.ok(Number.isNaN(leadingNumber('n/a')));
  assert.ok(Number.isNaN(leadingNumber(undefined)));
});

test('matches rows across runs by id and figure, ratio first, with the spread', () => {
  const run = (ratio, value) => ({ table: [{ id: '2', figure: 'middleware', value, ratio, target: '>= 0.90' }, { id: '1', figure: 'bare', value: '9,000 req/s', ratio: '1.00' }] });
  const rows = sideBySide([run('0.85 (0.7–1.0)', '7,000 req/s'), run('0.75 (0.7–0.8)', '6,500 req/s'), run('0.80', '6,800 req/s')]);
  assert.deepEqual(rows[0], { id: '2', figure: 'middleware', target: '>= 0.90', cells: ['0.85 (0.7–1.0)', '0.75 (0.7–0.8)', '0.80'], median: 0.8, min: 0.75, max: 0.85 });
  assert.deepEqual(rows[1].cells, ['9,000 req/s', '9,000 req/s', '9,000 req/s']); // a baseline shows its value
});

test('judges a latency row by its p99, a row of two ratios by the last, a row without a numeric ratio by its value', () => {
  assert.equal(cellOf({ value: '3,476 req/s', p99: '53.4 ms', target: 'p99 <= 2 ms' }), '53.4 ms');
  assert.equal(cellOf({ value: '2,244 req/s', ratio: '0.25 (0.22–0.28), 0.33 (0.31–0.37) x (2)' }), '0.33 (0.31–0.37) x (2)');
  assert.equal(cellOf({ value: '2.42 KiB', ratio: "store's estimate 2.09 KiB" }), '2.42 KiB');
  assert.equal(cellOf({ value: '9,000 req/s', ratio: '1.00' }), '9,000 req/s');
});

test('matches rows whose names carry numbers of their own run', () => {
  const run = (rate, p99) => ({ table: [{ id: '2h', figure: `(2) paced at ${rate} req/s`, value: `${rate} req/s`, p99, target: 'p99 <= 2 ms' }] });
  const rows = sideBySide([run('3,531', '55.8 ms'), run('3,477', '53.4 ms')]);
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0].cells, ['55.8 ms', '53.4 ms']);
});

test('keeps apart figures that differ only by their sizes', () => {
  const run = { table: [{ id: '4', figure: 'engine, 1,000 calls tracked', value: '200,000 notif/s' }, { id: '4', figure: 'engine, 1,000,000 calls tracked', value: '130,000 notif/s' }] };
  assert.equal(sideBySide([run, run]).length, 2);
  assert.equal(cellOf({ value: '4.75 sent, 19.1 run', ratio: '2.63 sent for the outbox' }), '4.75 sent, 19.1 run');
});
