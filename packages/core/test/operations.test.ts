import { describe, it, expect, jest, afterEach } from '@jest/globals';
import { CallingBot, type CommsNotifications } from '@graph-comms/core';
import { seed } from '../../../test/helpers/fixtures.js';
import { recordEvents } from '../../../test/helpers/recorder.js';

const CALL = 'ab6233a5-20b7-4c5e-bea2-ce56c9776429';
const OP = 'eec3812a-fdc3-4fb4-825c-a06c9f35414e';
const CTX = 'f2fa86af-3c51-4bc2-8fc0-475452d9764f';

const newBot = (options: Partial<ConstructorParameters<typeof CallingBot>[0]> = {}) =>
  new CallingBot({ appId: 'bot-app-id', tokenVerifier: false, ...options });

function operationNotification(fields: { status: string; id?: string | null; clientContext?: string | null; changeType?: string; resultInfo?: object; path?: string }): CommsNotifications {
  const id = fields.id === undefined ? OP : fields.id;
  const path = fields.path ?? `/communications/calls/${CALL}/operations/${id ?? 'participants'}`;
  return {
    value: [
      {
        changeType: fields.changeType ?? 'deleted',
        resourceUrl: path,
        resourceData: {
          '@odata.type': '#microsoft.graph.inviteParticipantsOperation',
          id,
          status: fields.status,
          clientContext: fields.clientContext === undefined ? CTX : fields.clientContext,
          ...(fields.resultInfo ? { resultInfo: fields.resultInfo } : {}),
        },
      },
    ],
  };
}

let bots: CallingBot[] = [];
afterEach(async () => {
  jest.useRealTimers();
  await Promise.all(bots.map((b) => b.close()));
  bots = [];
});
const track = (bot: CallingBot) => (bots.push(bot), bot);

describe('operation outcomes', () => {
  it('fires operationCompleted for the seed 001 example 1 outcome of an operation it did not send, without an invitation', async () => {
    const bot = track(newBot());
    const rec = recordEvents(bot);
    await bot.processNotifications(seed('ex1-invite-one', 'notification-operation'));
    const [done] = rec.of('operationCompleted');
    expect(rec.names()).toEqual(['operationCompleted']);
    expect(done).toMatchObject({ callId: CALL, operationId: OP, clientContext: CTX, operation: { status: 'completed' } });
    expect(done!.invitation).toBeUndefined();
  });

  it('fires once when the same outcome is delivered twice or reported completed twice', async () => {
    const bot = track(newBot());
    const rec = recordEvents(bot);
    const body = seed('ex1-invite-one', 'notification-operation');
    await bot.processNotifications(body);
    await bot.processNotifications(body);
    await bot.processNotifications(operationNotification({ status: 'Completed', changeType: 'Deleted' }));
    expect(rec.of('operationCompleted')).toHaveLength(1);
  });

  it('correlates by clientContext when the id is null (seed 001 example 2)', async () => {
    const bot = track(newBot());
    const rec = recordEvents(bot);
    const groupCall = '7531d31f-d10d-44de-802f-c569dbca451c';
    await bot.processNotifications(operationNotification({ status: 'running', id: OP, changeType: 'updated', path: `/communications/calls/${groupCall}/operations/${OP}` }));
    await bot.processNotifications(seed('ex2-invite-several', 'notification-operation'));
    const done = rec.of('operationCompleted');
    expect(done).toHaveLength(1);
    // The operation was known by id from the running notification; the outcome, without an id, found it by clientContext.
    expect(done[0]).toMatchObject({ callId: groupCall, operationId: OP, clientContext: CTX, operation: { id: null, status: 'completed' } });
    expect((await bot.getCall(groupCall))!.operations.map((o) => o.key)).toEqual([`c:${CTX}`]);
  });

  it('learns the id of an operation known by clientContext and absorbs a later null-id repeat', async () => {
    const bot = track(newBot());
    const rec = recordEvents(bot);
    await bot.processNotifications(operationNotification({ status: 'Running', id: null, changeType: 'updated' }));
    await bot.processNotifications(operationNotification({ status: 'completed', id: OP }));
    await bot.processNotifications(operationNotification({ status: 'completed', id: null }));
    expect(rec.of('operationCompleted')).toEqual([expect.objectContaining({ operationId: OP, clientContext: CTX })]);
    const call = await bot.getCall(CALL);
    expect(call!.operations).toEqual([expect.objectContaining({ id: OP, status: 'completed' })]);
  });

  it('fires operationFailed with resultInfo and reason failed', async () => {
    const bot = track(newBot());
    const rec = recordEvents(bot);
    const resultInfo = { code: 403, subcode: 10151, message: 'DiagCode: 403#10151' };
    await bot.processNotifications(operationNotification({ status: 'Failed', resultInfo }));
    expect(rec.of('operationFailed')).toEqual([expect.objectContaining({ callId: CALL, reason: 'failed', resultInfo, operationId: OP })]);
    expect(rec.of('operationCompleted')).toHaveLength(0);
  });

  it('treats a deleted operation without status as completed, or failed when its resultInfo says so', async () => {
    const bot = track(newBot());
    const rec = recordEvents(bot);
    await bot.processNotifications(operationNotification({ status: undefined as unknown as string, id: 'a' , clientContext: 'ctx-a' }));
    await bot.processNotifications(operationNotification({ status: undefined as unknown as string, id: 'b', clientContext: 'ctx-b', resultInfo: { code: 412, subcode: 9999 } }));
    expect(rec.of('operationCompleted').map((e) => e.operationId)).toEqual(['a']);
    expect(rec.of('operationFailed').map((e) => e.operationId)).toEqual(['b']);
  });

  it('keeps the final state when a running notification arrives after completion (reordering)', async () => {
    const bot = track(newBot());
    const rec = recordEvents(bot);
    await bot.processNotifications(operationNotification({ status: 'completed' }));
    await bot.processNotifications(operationNotification({ status: 'running', changeType: 'updated' }));
    await bot.processNotifications(operationNotification({ status: 'failed' }));
    expect(rec.names()).toEqual(['operationCompleted']);
    expect((await bot.getCall(CALL))!.operations.find((o) => o.key === `c:${CTX}`)!.status).toBe('completed');
  });

  it('reports an operation notification with an unknown status as unhandled', async () => {
    const bot = track(newBot());
    const rec = recordEvents(bot);
    await bot.processNotifications(operationNotification({ status: 'String', changeType: 'updated' }));
    expect(rec.names()).toEqual(['notificationUnhandled']);
  });

  it('tracks a playPrompt operation the same way', async () => {
    const bot = track(newBot());
    const rec = recordEvents(bot);
    await bot.processNotifications({
      value: [{ changeType: 'deleted', resourceUrl: `/communications/calls/${CALL}/operations/p1`, resourceData: { '@odata.type': '#microsoft.graph.playPromptOperation', id: 'p1', status: 'completed', completionReason: 'completedSuccessfully', clientContext: 'prompt-1' } }],
    });
    expect(rec.of('operationCompleted')).toEqual([expect.objectContaining({ operationId: 'p1', clientContext: 'prompt-1', operation: expect.objectContaining({ completionReason: 'completedSuccessfully' }) })]);
  });
});

describe('operation timeouts', () => {
  it('times out a running operation seen by callback after operationTimeoutMs', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const bot = track(newBot({ operationTimeoutMs: 5000 }));
    const rec = recordEvents(bot);
    await bot.processNotifications(operationNotification({ status: 'running', changeType: 'updated' }));
    await jest.advanceTimersByTimeAsync(4999);
    expect(rec.of('operationFailed')).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(rec.of('operationFailed')).toEqual([expect.objectContaining({ reason: 'timedOut', operationId: OP, clientContext: CTX })]);
    // A late outcome after the timeout changes nothing.
    await bot.processNotifications(operationNotification({ status: 'completed' }));
    expect(rec.of('operationCompleted')).toHaveLength(0);
  });

  it('cancels the timer when the operation completes, and close() clears timers', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const bot = track(newBot({ operationTimeoutMs: 5000 }));
    const rec = recordEvents(bot);
    const base = jest.getTimerCount(); // the bot's own housekeeping timer
    await bot.processNotifications(operationNotification({ status: 'running', changeType: 'updated' }));
    expect(jest.getTimerCount()).toBe(base + 1);
    await bot.processNotifications(operationNotification({ status: 'completed' }));
    expect(jest.getTimerCount()).toBe(base);
    await bot.processNotifications(operationNotification({ status: 'running', changeType: 'updated', id: 'other', clientContext: 'other' }));
    expect(jest.getTimerCount()).toBe(base + 1);
    await bot.close();
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(rec.of('operationFailed')).toHaveLength(0);
  });
});
