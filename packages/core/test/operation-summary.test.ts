import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import type { OperationRecord, OperationState } from '../src/state/call-record.js';
import { hashOf, replacedAt, SUMMARY_FROM, summaryOf } from '../src/state/operation-summary.js';

const STATES: OperationState[] = ['notStarted', 'running', 'completed', 'failed', 'timedOut'];
const final = (s: OperationState) => s === 'completed' || s === 'failed' || s === 'timedOut';

const operation = fc
  .record({
    n: fc.integer({ min: 0, max: 12 }),
    status: fc.constantFrom(...STATES),
    sent: fc.boolean(),
    invite: fc.boolean(),
    finishedAt: fc.integer({ min: 0, max: 50 }),
    idForm: fc.constantFrom('canonical', 'upper', 'none'),
  })
  .map(({ n, status, sent, invite, finishedAt, idForm }): OperationRecord => {
    const guid = `0000000${n.toString(16)}-aaaa-4000-8000-00000000000${n % 10}`;
    const id = idForm === 'none' ? null : idForm === 'upper' ? guid.toUpperCase() : guid;
    return { key: `c:ctx-${n}`, id, clientContext: `ctx-${n}`, status, kind: invite ? 'invite' : 'playPrompt', sent, createdAt: n, ...(final(status) ? { finishedAt } : {}) };
  });

describe('operation summaries', () => {
  it('derived through any sequence of replacements, equal the summary a fresh walk gives', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 12 }), fc.array(fc.tuple(fc.nat(), operation), { minLength: 1, maxLength: 30 }), (start, steps) => {
        let ops: OperationRecord[] = start;
        summaryOf(ops);
        for (const [where, op] of steps) {
          const at = ops.length === 0 || where % 3 === 0 ? -1 : where % ops.length;
          ops = replacedAt(ops, at, op);
          expect(summaryOf(ops)).toEqual(summaryOf([...ops])); // the copy is walked afresh
        }
      }),
      { numRuns: 400 },
    );
  });

  it('counts what prune and lookups ask of it', () => {
    const ops: OperationRecord[] = [
      { key: 'c:a', id: '57dab8b1-894c-409a-b240-bd8beae78896', clientContext: 'a', status: 'completed', kind: 'invite', sent: true, createdAt: 1, finishedAt: 7 },
      { key: 'i:x', id: '57DAB8B1894C409AB240BD8BEAE78897', clientContext: null, status: 'running', kind: 'unknown', sent: false, createdAt: 2 },
      { key: 'c:b', id: null, clientContext: 'b', status: 'failed', kind: 'playPrompt', sent: true, createdAt: 3, finishedAt: 5 },
    ];
    expect(summaryOf(ops)).toEqual({
      finished: 2,
      oldestFinishedAt: 5,
      sentInvites: true,
      unsentPending: 1,
      otherForm: true,
      idHashes: [], // a few operations are walked, not hashed
      keyHashes: [],
    });
    const many = Array.from({ length: SUMMARY_FROM }, (_, i) => ({ ...ops[i % 3]!, key: `c:${i}` }));
    expect(summaryOf(many)).toMatchObject({ finished: 5, idHashes: many.map((o) => hashOf(o.id)), keyHashes: many.map((o) => hashOf(o.key)) });
    expect(summaryOf(many)).toBe(summaryOf(many)); // kept, for that array
    expect(summaryOf([])).toMatchObject({ finished: 0, oldestFinishedAt: Infinity, sentInvites: false, unsentPending: 0, otherForm: false });
  });

  it('hashes strings to small non-zero integers, and null to 0', () => {
    expect(hashOf(null)).toBe(0);
    for (const text of ['', 'c:a', 'c:b', '57dab8b1-894c-409a-b240-bd8beae78896']) {
      expect(Number.isInteger(hashOf(text)) && hashOf(text) > 0 && hashOf(text) < 2 ** 30).toBe(true);
    }
    expect(hashOf('c:a')).not.toBe(hashOf('c:b'));
  });
});
