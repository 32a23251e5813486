import { describe, it, expect } from '@jest/globals';
import { parseResourcePath } from '@graph-comms/core';

describe('parseResourcePath', () => {
  it.each([
    ['/communications/calls/c1', { kind: 'call', callId: 'c1' }],
    ['/app/calls/c1', { kind: 'call', callId: 'c1' }],
    ['communications/calls/c1/', { kind: 'call', callId: 'c1' }],
    ['https://graph.microsoft.com/v1.0/communications/calls/c1?x=1', { kind: 'call', callId: 'c1' }],
    ['/COMMUNICATIONS/Calls/c1/Participants', { kind: 'participants', callId: 'c1' }],
    ['/communications/calls/c1/participants/p1', { kind: 'participants', callId: 'c1', participantId: 'p1' }],
    ['/communications/calls/c1/operations/op1', { kind: 'operation', callId: 'c1', operationId: 'op1' }],
    ['/communications/calls/c1/operations/participants', { kind: 'operation', callId: 'c1' }],
    ['/app/calls/c1/operations', { kind: 'operation', callId: 'c1' }],
    ['/communications/calls/c1/audioRoutingGroups/g1', { kind: 'other', callId: 'c1' }],
    ['/communications/calls/a%2Fb/participants', { kind: 'participants', callId: 'a/b' }],
    ['/communications/calls/bad%zz', { kind: 'call', callId: 'bad%zz' }],
    ['/communications/calls//x', { kind: 'call', callId: 'x' }],
  ])('reads %s', (path, expected) => expect(parseResourcePath(path)).toEqual(expected));

  it.each([['/communications/presences/x'], ['/users/calls/x'], [''], ['/communications/calls/'], ['/communications/calls']])('finds no call in %p', (path) =>
    expect(parseResourcePath(path)).toBeUndefined(),
  );
});
