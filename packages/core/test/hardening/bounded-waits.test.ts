import { describe, it, expect } from '@jest/globals';
import { CallingBot, HandlerTimeoutError, MemoryCallStore, type CallRecord, type CommsNotifications, type Step } from '@graph-comms/core';
import { recordEvents } from '../../../../test/helpers/recorder.js';

const headers = { 'content-type': 'application/json' };
const mute = (isMuted: boolean): CommsNotifications => ({
  value: [{ changeType: 'updated', resourceUrl: '/communications/calls/call-h/participants', resourceData: [{ id: 'p1', isMuted, info: { identity: { user: { id: 'u1' } } } }] }],
});

describe('no endless waits', () => {
  it('goes on without a custom handler that never resolves, and reports it', async () => {
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, handlerTimeoutMs: 50 });
    const rec = recordEvents(bot);
    let late: (() => Promise<void>) | undefined;
    bot.use((_ctx, next) => {
      late = next;
      return new Promise(() => undefined); // never settles, never calls next()
    });
    await bot.processNotifications(mute(false));
    await bot.processNotifications(mute(true)); // the call's later notifications are not held up
    expect(rec.of('rosterUpdated')).toHaveLength(2);
    expect(rec.errors.map((e) => e.error)).toEqual([expect.any(HandlerTimeoutError), expect.any(HandlerTimeoutError)]);
    expect(rec.errors[0]!.error).toMatchObject({ code: 'handler_timeout' });
    // A next() called after the chain went on does nothing.
    await late!();
    expect(rec.of('rosterUpdated')).toHaveLength(2);
    await bot.close();
  });

  it('waits for the state machine when a handler calls next() without awaiting it, and reports no timeout for a slow rest', async () => {
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, handlerTimeoutMs: 20 });
    const rec = recordEvents(bot);
    bot.use((_ctx, next) => {
      void next();
    });
    bot.use(async (_ctx, next) => {
      await new Promise((r) => setTimeout(r, 5));
      await next();
    });
    await bot.processNotifications(mute(false));
    expect(rec.of('rosterUpdated')).toHaveLength(1);
    expect(rec.errors).toEqual([]);
    await bot.close();
  });

  it('stops a handler that does not call next() without reporting anything', async () => {
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, handlerTimeoutMs: 20 });
    const rec = recordEvents(bot);
    bot.use(() => undefined);
    await bot.processNotifications(mute(false));
    expect(rec.events).toEqual([]);
    expect(rec.errors).toEqual([]);
    await bot.close();
  });

  it('answers 503 and records nothing once closed', async () => {
    const store = new (class extends MemoryCallStore {
      override async close(): Promise<void> {} // the store outlives the bot, as a shared one does
    })();
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store });
    await bot.close();
    await expect(bot.handleRequest({ headers, body: JSON.stringify(mute(false)) })).resolves.toMatchObject({ status: 503 });
    expect(await bot.getCall('call-h')).toBeUndefined();
  });
});

describe('poison bodies', () => {
  const deep = (levels: number): string => `{"value":[{"changeType":"updated","resourceUrl":"/communications/calls/c/participants","resourceData":[{"id":"p","info":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}]}]}`;

  it.each([5_000, 80_000])('refuses a participant nested %i levels deep with 400, every time', async (levels) => {
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false });
    for (let i = 0; i < 2; i++) {
      await expect(bot.handleRequest({ headers, body: deep(levels) })).resolves.toMatchObject({ status: 400, body: { error: { code: 'notification_invalid' } } });
    }
    expect(await bot.getCall('c')).toBeUndefined();
    await bot.close();
  });

  it('accepts what Graph really sends (its notifications nest about 8 deep)', async () => {
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false });
    await expect(bot.handleRequest({ headers, body: deep(20) })).resolves.toMatchObject({ status: 202 });
    await bot.close();
  });

  it('answers 500, not 503, when a step fails for a reason other than the store, and reports it', async () => {
    // A store that hands the step a record no version of the framework wrote: the step throws.
    const store = new (class extends MemoryCallStore {
      override updateCall<T>(callId: string, step: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
        return super.updateCall(callId, () => step({ callId, roster: null, removed: [], operations: [], recent: [], updatedAt: 0 } as unknown as CallRecord));
      }
    })();
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, store });
    const rec = recordEvents(bot);
    await expect(bot.handleRequest({ headers, body: JSON.stringify(mute(false)) })).resolves.toMatchObject({ status: 500, body: { error: { code: 'internal_error' } } });
    expect(rec.errors.map((e) => e.source)).toEqual(['internal']);
    await bot.close();
  });
});
