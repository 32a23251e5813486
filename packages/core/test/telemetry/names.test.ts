import { describe, it, expect } from '@jest/globals';
import { ACTIONS, actionPath, type ActionName } from '../../src/operations/actions.js';
import { errorType, notificationCount, notificationKind, pathTemplate } from '../../src/telemetry/names.js';

describe('path templates', () => {
  it.each(Object.keys(ACTIONS) as ActionName[])('%s: the path it is sent to, with its ids as placeholders', (action) => {
    const descriptor = ACTIONS[action];
    const template = pathTemplate(descriptor);
    expect(template.replace('{callId}', 'CALL').replace('{participantId}', 'PART')).toBe(actionPath(descriptor, 'CALL', 'PART'));
    expect(template).not.toMatch(/CALL|PART/);
  });
});

describe('attribute values', () => {
  it('names rosters as Graph names their resource, and keeps the other kinds', () => {
    expect(['call', 'roster', 'operation', 'unknown'].map((k) => notificationKind(k as never))).toEqual(['call', 'participants', 'operation', 'unknown']);
  });

  it('counts the notifications of a body, and none in anything that is not one', () => {
    expect(notificationCount({ value: [{}, {}, {}] })).toBe(3);
    for (const body of [undefined, null, 'text', 42, [], { value: 'x' }, {}]) expect(notificationCount(body)).toBe(0);
  });

  it("types an error by its class, never by its message", () => {
    expect(errorType(new TypeError('call 57dab8b1 is odd'))).toBe('TypeError');
    expect(errorType(Object.assign(new Error('x'), { name: '' }))).toBe('Error');
    expect(errorType('a string')).toBe('string');
  });
});
