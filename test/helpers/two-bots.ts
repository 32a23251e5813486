import { expect } from '@jest/globals';
import { CallingBot, type CallStore, type OperationOutcome } from '@graph-comms/core';
import type { FakeGraph } from './fake-graph.js';
import { seed } from './fixtures.js';
import { recordEvents } from './recorder.js';

const CALL = 'ab6233a5-20b7-4c5e-bea2-ce56c9776429';
const settledYet = (p: Promise<OperationOutcome>): Promise<boolean> => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30))]);

/**
 * Bot A invites; the roster reaches bot B first, whose `joined[].invitation` is rebuilt from the
 * shared record while the invite is still running. Its completion must wait for the real
 * outcome (never a made-up timeout) and resolve with it, wherever the outcome lands.
 */
export async function rebuiltInvitationWaitsForTheOutcome(graph: FakeGraph, stores: () => [CallStore, CallStore], outcomeLandsOn: 'sender' | 'other'): Promise<void> {
  const [storeA, storeB] = stores();
  const sender = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store: storeA, graphClient: graph.client() });
  const other = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store: storeB });
  const events = recordEvents(other);
  const request = seed('ex1-invite-one', 'request');
  delete request.participants[0].replacesCallId;
  const invitation = await sender.invite(CALL, request);

  await other.processNotifications(seed('ex1-invite-one', 'notification-roster'));
  const [joined] = events.of('rosterUpdated')[0]!.joined;
  const rebuilt = joined!.invitation;
  expect(rebuilt).not.toBe(invitation);
  expect(rebuilt).toMatchObject({ kind: 'invite', clientContext: invitation.clientContext, status: 'running' });
  expect(await settledYet(rebuilt.completion)).toBe(false);

  await (outcomeLandsOn === 'sender' ? sender : other).processNotifications(seed('ex1-invite-one', 'notification-operation'));
  await expect(invitation.completion).resolves.toMatchObject({ status: 'completed' });
  await expect(rebuilt.completion).resolves.toMatchObject({ status: 'completed', operation: { status: 'completed' } });
  expect(rebuilt.status).toBe('completed');
  await sender.close();
  await other.close();
}
