import { describe, it, expect, afterEach } from '@jest/globals';
import { CallingBot, MemoryCallStore, NotificationFormatError, StoreError, type CallRecord, type CallStore, type CommsNotifications, type Step } from '@graph-comms/core';
import { seed } from '../../../test/helpers/fixtures.js';
import { recordEvents } from '../../../test/helpers/recorder.js';

let bots: CallingBot[] = [];
afterEach(async () => {
  await Promise.all(bots.map((b) => b.close()));
  bots = [];
});
const newBot = (store?: CallStore) => {
  const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, ...(store ? { store } : {}) });
  bots.push(bot);
  return bot;
};
const callState = (callId: string, state: string, changeType = 'updated') => ({
  changeType,
  resourceUrl: `/communications/calls/${callId}`,
  resourceData: { '@odata.type': '#microsoft.graph.call', state },
});
const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('callback bodies', () => {
  it.each([
    ['null', null, 'body'],
    ['an array', [], 'body'],
    ['an object without value', { foo: 1 }, 'value'],
    ['value not an array', { value: {} }, 'value'],
    ['a notification that is a string', { value: ['x'] }, 'value[0]'],
    ['a notification without changeType', { value: [{ resourceUrl: '/communications/calls/x' }] }, 'value[0].changeType'],
    ['a notification without resource', { value: [{ changeType: 'updated' }] }, 'value[0]'],
    ['a resource that is not a string', { value: [{ changeType: 'updated', resource: 5, resourceUrl: '/communications/calls/x' }] }, 'value[0].resource'],
    ['resourceData that is a string', { value: [{ changeType: 'updated', resourceUrl: '/communications/calls/x', resourceData: 'x' }] }, 'value[0].resourceData'],
  ])('refuses %s with NotificationFormatError naming where', async (_name, body, path) => {
    const bot = newBot();
    await expect(bot.processNotifications(body)).rejects.toMatchObject({ name: 'NotificationFormatError', path, code: 'notification_invalid' });
  });

  it('refuses a body with more than 1000 notifications', async () => {
    const bot = newBot();
    const body = { value: Array.from({ length: 1001 }, () => callState('c1', 'established')) };
    await expect(bot.processNotifications(body)).rejects.toMatchObject({ name: 'NotificationFormatError', path: 'value' });
  });

  it('applies nothing of a body whose later notification is bad', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    const error = await bot.processNotifications({ value: [callState('c1', 'established'), { changeType: 'updated' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotificationFormatError);
    expect(rec.events).toHaveLength(0);
    expect(await bot.getCall('c1')).toBeUndefined();
  });

  it('accepts deliveries without @odata.type, with resource only, resourceUrl first, absolute URLs and tenantId null', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications({ value: [{ resourceUrl: 'https://graph.microsoft.com/v1.0/communications/calls/c1', resource: '/app/calls/c1', changeType: 'Updated', tenantId: null, resourceData: { state: 'Established' } }] });
    await bot.processNotifications({ value: [{ changeType: 'updated', resource: '/app/calls/c2', resourceData: { state: 'establishing', unknownField: { deep: true } } }] });
    expect(rec.of('callUpdated').map((e) => [e.callId, e.state])).toEqual([['c1', 'established'], ['c2', 'establishing']]);
  });

  it('reports notifications it does not understand as notificationUnhandled', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    await bot.processNotifications({ value: [
      { changeType: 'updated', resourceUrl: '/communications/presences/x', resourceData: {} },
      { changeType: 'renamed', resourceUrl: '/communications/calls/c1', resourceData: {} },
      { changeType: 'updated', resourceUrl: '/communications/calls/c1/audioRoutingGroups/g', resourceData: { id: 'g' } },
    ] });
    expect(rec.of('notificationUnhandled').map((e) => e.callId)).toEqual([undefined, 'c1', 'c1']);
  });
});

describe('order and isolation', () => {
  it('processes the notifications of one call in arrival order, one at a time, even across callbacks', async () => {
    const bot = newBot();
    const gate = deferred();
    const seen: string[] = [];
    bot.use(async (ctx, next) => {
      const state = (ctx.notification.resourceData as { state: string }).state;
      seen.push(`start ${state}`);
      if (state === 'establishing') await gate.promise;
      await next();
      seen.push(`end ${state}`);
    });
    const first = bot.processNotifications({ value: [callState('c1', 'establishing')] });
    const second = bot.processNotifications({ value: [callState('c1', 'established')] });
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual(['start establishing']);
    gate.resolve();
    await Promise.all([first, second]);
    expect(seen).toEqual(['start establishing', 'end establishing', 'start established', 'end established']);
    expect((await bot.getCall('c1'))!.state).toBe('established');
  });

  it('lets another call proceed while one call is busy', async () => {
    const bot = newBot();
    const gate = deferred();
    bot.use(async (ctx, next) => {
      if (ctx.callId === 'slow') await gate.promise;
      await next();
    });
    const slow = bot.processNotifications({ value: [callState('slow', 'established')] });
    await bot.processNotifications({ value: [callState('fast', 'established')] });
    expect((await bot.getCall('fast'))!.state).toBe('established');
    expect(await bot.getCall('slow')).toBeUndefined();
    gate.resolve();
    await slow;
    expect((await bot.getCall('slow'))!.state).toBe('established');
  });

  it('reports a throwing listener on error; the other listeners and the rest of the batch still run', async () => {
    const bot = newBot();
    const errors: Array<[string, string | undefined]> = [];
    const seen: string[] = [];
    bot.on('error', (error, context) => void errors.push([error.message, context.event]));
    bot.on('callUpdated', () => {
      throw new Error('listener bug');
    });
    bot.on('callUpdated', (e) => void seen.push(e.callId));
    bot.on('callUpdated', async () => Promise.reject(new Error('async listener bug')));
    await bot.processNotifications({ value: [callState('c1', 'established'), callState('c2', 'established')] });
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['c1', 'c2']);
    expect(errors).toEqual([
      ['listener bug', 'callUpdated'],
      ['listener bug', 'callUpdated'],
      ['async listener bug', 'callUpdated'],
      ['async listener bug', 'callUpdated'],
    ]);
  });

  it('removes a listener with off() and runs a once() listener once', async () => {
    const bot = newBot();
    const seen: string[] = [];
    const listener = () => void seen.push('on');
    bot.on('callUpdated', listener);
    bot.once('callUpdated', () => void seen.push('once'));
    await bot.processNotifications({ value: [callState('c1', 'establishing')] });
    bot.off('callUpdated', listener);
    await bot.processNotifications({ value: [callState('c1', 'established')] });
    expect(seen).toEqual(['on', 'once']);
    expect(bot.listenerCount('callUpdated')).toBe(0);
  });
});

describe('custom handlers', () => {
  it('see the notification, the call id from either path form, the kind and the caller, in the order added', async () => {
    const bot = newBot();
    const seen: unknown[] = [];
    bot.use(async (ctx, next) => {
      seen.push(['first', ctx.callId, ctx.kind, ctx.caller?.tenantId]);
      ctx.state['mark'] = 1;
      await next();
    });
    bot.use((ctx, next) => {
      seen.push(['second', ctx.state['mark']]);
      return next();
    });
    const caller = { tenantId: 't1', appId: 'app', issuer: 'https://api.botframework.com', claims: {} };
    await bot.processNotifications(seed('ex1-invite-one', 'notification-operation'), caller);
    await bot.processNotifications({ value: [{ changeType: 'updated', resource: '/app/calls/old-path/participants', resourceData: [] }] });
    expect(seen).toEqual([
      ['first', 'ab6233a5-20b7-4c5e-bea2-ce56c9776429', 'operation', 't1'],
      ['second', 1],
      ['first', 'old-path', 'roster', undefined],
      ['second', 1],
    ]);
  });

  it('stop a notification by not calling next()', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    bot.use((ctx, next) => (ctx.callId === 'ignored' ? undefined : next()));
    await bot.processNotifications({ value: [callState('ignored', 'established'), callState('kept', 'established')] });
    expect(rec.of('callUpdated').map((e) => e.callId)).toEqual(['kept']);
    expect(await bot.getCall('ignored')).toBeUndefined();
  });

  it('that throw are reported on error, and the notification still reaches the state machine', async () => {
    const bot = newBot();
    const rec = recordEvents(bot);
    bot.use(() => {
      throw new Error('handler bug');
    });
    await bot.processNotifications({ value: [callState('c1', 'established')] });
    expect(rec.errors.map((e) => [e.error.message, e.source])).toEqual([['handler bug', 'handler']]);
    expect(rec.of('callUpdated')).toHaveLength(1);
  });

  it('cannot swallow a store failure', async () => {
    const store = new FailingStore();
    const bot = newBot(store);
    bot.use(async (_ctx, next) => {
      try {
        await next();
      } catch {
        /* a handler that hides errors */
      }
    });
    store.failing = true;
    await expect(bot.processNotifications({ value: [callState('c1', 'established')] })).rejects.toBeInstanceOf(StoreError);
  });
});

/** A memory store that can be told to fail, like a store whose database went away. */
class FailingStore extends MemoryCallStore {
  failing = false;
  override async updateCall<T>(callId: string, step: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
    if (this.failing) throw new Error('connection lost');
    return super.updateCall(callId, step);
  }
}

describe('store failures', () => {
  it('rejects with StoreError, fires error, and applies the notification when delivered again', async () => {
    const store = new FailingStore();
    const bot = newBot(store);
    const rec = recordEvents(bot);
    store.failing = true;
    const body: CommsNotifications = seed('ex1-invite-one', 'notification-operation');
    const error = await bot.processNotifications(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('store_unavailable');
    expect(rec.errors.map((e) => e.source)).toEqual(['store']);
    expect(rec.of('operationCompleted')).toHaveLength(0);
    store.failing = false;
    await bot.processNotifications(body);
    expect(rec.of('operationCompleted')).toHaveLength(1);
  });
});

/** Deep-freezes every record it hands out, so a state machine step that mutates its input throws. */
class FreezingStore extends MemoryCallStore {
  override async updateCall<T>(callId: string, step: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
    return super.updateCall(callId, (record) => {
      const result = step(record && deepFreeze(record));
      if (result.record) deepFreeze(result.record);
      return result;
    });
  }
}
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe('state machine steps are pure', () => {
  it('never modify the record they are given (every seed payload, repeats, removals, call ends)', async () => {
    const bot = newBot(new FreezingStore());
    const rec = recordEvents(bot);
    for (const example of ['ex1-invite-one', 'ex2-invite-several', 'ex3-replace-p2p', 'ex4-invite-phone', 'ex5-move-participant'] as const) {
      await bot.processNotifications(seed(example, 'notification-roster'));
      await bot.processNotifications(seed(example, 'notification-operation'));
      const leaving = seed(example, 'notification-roster');
      leaving.value[0].changeType = 'deleted';
      await bot.processNotifications(leaving);
    }
    await bot.processNotifications({ value: [callState('a7ebfb2d-871e-419c-87af-27290b22e8db', 'terminated', 'deleted')] });
    expect(rec.errors).toEqual([]);
    expect(rec.of('rosterUpdated').length).toBeGreaterThanOrEqual(10);
    // Examples 4 and 5 report the operation ids of examples 1 and 3 in the same call: the same operations, reported once.
    expect(rec.of('operationCompleted').map((e) => e.operationId)).toEqual(['eec3812a-fdc3-4fb4-825c-a06c9f35414e', null, '278405a3-f568-4b3e-b684-009193463064']);
  });
});
