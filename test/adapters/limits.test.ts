import { describe, it, expect } from '@jest/globals';
import { bodyRules, DEFAULT_BODY_LIMIT, DEFAULT_BODY_TIMEOUT_MS, parseLimit } from '@graph-comms/core/http';
import { parseLimit as expressParseLimit } from '@graph-comms/express-adapter';

describe('parseLimit', () => {
  it.each<[number | string, number]>([
    [1024, 1024],
    [1500.7, 1500],
    ['1mb', 1024 * 1024],
    ['512kb', 512 * 1024],
    [' 2 KB ', 2048],
    ['1.5kb', 1536],
    ['100', 100],
    ['100b', 100],
    ['1gb', 1024 ** 3],
  ])('reads %p as %p bytes', (input, bytes) => expect(parseLimit(input)).toBe(bytes));

  it.each<[unknown]>([['lots'], [''], ['1tb'], ['-1kb'], [0], [0.5], [-5], [Number.NaN], [Number.POSITIVE_INFINITY], [null], [{}]])('refuses %p with a TypeError', (input) => {
    expect(() => parseLimit(input as string)).toThrow(TypeError);
  });

  it('is the one the Express adapter exports', () => expect(expressParseLimit).toBe(parseLimit));
});

describe('bodyRules', () => {
  it('defaults to 1 MB and 10 s', () => {
    expect(bodyRules(undefined, 'x')).toEqual({ limit: DEFAULT_BODY_LIMIT, timeoutMs: DEFAULT_BODY_TIMEOUT_MS });
    expect(bodyRules({ limit: undefined }, 'x')).toEqual({ limit: 1024 * 1024, timeoutMs: 10_000 });
  });

  it('names its owner in every refusal', () => {
    expect(() => bodyRules({ limit: 'huge' }, 'myAdapter')).toThrow(/^myAdapter: limit "huge" is not a size/);
    expect(() => bodyRules({ bodyTimeoutMs: 0 }, 'myAdapter')).toThrow(new TypeError('myAdapter: bodyTimeoutMs must be a positive number of milliseconds'));
    expect(() => bodyRules({ bodyTimeoutMs: '5s' as unknown as number }, 'myAdapter')).toThrow(TypeError);
  });
});
