import { describe, it, expect } from '@jest/globals';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { SECONDS_BUCKETS } from '../../src/telemetry/names.js';
import { callbackRequest } from '../helpers/calls.js';
import { byAttributes, everyAttribute } from './sdk.js';
import { CALL, inviteRequest, PRIVATE, realisticRun, telemetrySuite } from './run.js';

const { suite, sdk } = telemetrySuite();

const status = (code: number) => ({ 'http.response.status_code': code });
const pending = async () => byAttributes<number>(await sdk.points('graph_comms.operations.pending'));

describe('metrics of a realistic run', () => {
  it('counts callbacks by status, notifications by kind and operations by kind and outcome', async () => {
    const bot = suite.newBot();
    await realisticRun(bot);
    expect(byAttributes(await sdk.points('graph_comms.callbacks'))).toEqual([
      { attributes: status(202), value: 5 },
      { attributes: status(400), value: 1 },
      { attributes: status(415), value: 1 },
    ]);
    const kind = (k: string, value: number) => ({ attributes: { 'graph_comms.notification.kind': k }, value });
    expect(byAttributes(await sdk.points('graph_comms.notifications'))).toEqual([kind('call', 2), kind('operation', 2), kind('participants', 1), kind('unknown', 1)]);
    expect(byAttributes(await sdk.points('graph_comms.operations'))).toEqual([
      { attributes: { 'graph_comms.operation.kind': 'invite', 'graph_comms.operation.outcome': 'completed' }, value: 1 },
      { attributes: { 'graph_comms.operation.kind': 'subscribeToTone', 'graph_comms.operation.outcome': 'failed' }, value: 1 },
    ]);
  });

  it('follows the operations this process awaits: up when sent, down when settled or refused', async () => {
    const bot = suite.newBot();
    let whilePending: unknown;
    await realisticRun(bot, async () => {
      whilePending = await pending();
    });
    // The invite and the subscription; the refused prompt was awaited only until Graph's 403.
    expect(whilePending).toEqual([{ attributes: {}, value: 2 }]);
    expect(await pending()).toEqual([{ attributes: {}, value: 0 }]);
  });

  it('counts a timed-out operation by its outcome, and no longer awaits it', async () => {
    const bot = suite.newBot({ operationTimeoutMs: 50 });
    const tone = await bot.call(CALL).subscribeToTone();
    await expect(tone.completion).resolves.toMatchObject({ status: 'timedOut' });
    expect(byAttributes(await sdk.points('graph_comms.operations'))).toEqual([{ attributes: { 'graph_comms.operation.kind': 'subscribeToTone', 'graph_comms.operation.outcome': 'timedOut' }, value: 1 }]);
    expect(await pending()).toEqual([{ attributes: {}, value: 0 }]);
  });

  it('adds up the operations awaited by several bots of one process', async () => {
    const bots = [suite.newBot(), suite.newBot()];
    await bots[0]!.invite(CALL, inviteRequest());
    await bots[1]!.call(CALL).subscribeToTone();
    expect(await pending()).toEqual([{ attributes: {}, value: 2 }]);
  });

  it('times callbacks and Graph requests in seconds, by status and action', async () => {
    const bot = suite.newBot();
    await realisticRun(bot);
    const metrics = await sdk.metrics();
    const callbacks = metrics.get('graph_comms.callback.duration')!;
    const requests = metrics.get('graph_comms.graph_request.duration')!;
    expect(callbacks.descriptor).toMatchObject({ unit: 's', description: 'How long handling a callback took' });
    expect(requests.descriptor).toMatchObject({ unit: 's' });
    const counts = (points: typeof callbacks.dataPoints) => byAttributes<Histogram>(points).map((p) => [p.attributes, p.value.count]);
    expect(counts(callbacks.dataPoints)).toEqual([
      [status(202), 5],
      [status(400), 1],
      [status(415), 1],
    ]);
    expect(counts(requests.dataPoints)).toEqual([
      [{ 'graph_comms.action': 'invite', ...status(200) }, 1],
      [{ 'graph_comms.action': 'playPrompt', ...status(403), 'error.type': '403' }, 1],
      [{ 'graph_comms.action': 'subscribeToTone', ...status(200) }, 1],
    ]);
    for (const point of [...callbacks.dataPoints, ...requests.dataPoints]) {
      const histogram = point.value as Histogram;
      expect(histogram.buckets.boundaries).toEqual(SECONDS_BUCKETS); // the advice, not the SDK's millisecond default
      expect(histogram.sum).toBeGreaterThanOrEqual(0);
    }
  });

  it('gives every instrument a description and a unit', async () => {
    await realisticRun(suite.newBot());
    const descriptors = [...(await sdk.metrics()).values()].map((m) => m.descriptor);
    expect(descriptors.map((d) => d.name).sort()).toEqual([
      'graph_comms.callback.duration',
      'graph_comms.callbacks',
      'graph_comms.graph_request.duration',
      'graph_comms.notifications',
      'graph_comms.operations',
      'graph_comms.operations.pending',
    ]);
    for (const d of descriptors) {
      expect(d.description.length).toBeGreaterThan(10);
      expect(d.unit).toMatch(/^(s|\{[a-z]+\})$/);
    }
  });

  it('never records an id, an identity or a token: kinds, statuses and actions only', async () => {
    await realisticRun(suite.newBot());
    const attributes = await everyAttribute(sdk);
    expect(attributes.length).toBeGreaterThan(20);
    const allowed = ['http.response.status_code', 'http.request.method', 'url.template', 'error.type', 'graph_comms.action', 'graph_comms.notification.kind', 'graph_comms.callback.notifications', 'graph_comms.operation.kind', 'graph_comms.operation.outcome'];
    for (const [key, value] of attributes) {
      expect(allowed).toContain(key);
      for (const secret of PRIVATE) expect(String(value).toLowerCase()).not.toContain(secret.toLowerCase());
    }
  });
});

describe('telemetry: false', () => {
  it('records nothing, with an SDK registered, and the bot works all the same', async () => {
    const bot = suite.newBot({ telemetry: false });
    await realisticRun(bot);
    const recorded = [...(await sdk.metrics()).values()].filter((m) => m.dataPoints.length > 0);
    expect(recorded).toEqual([]);
    expect(sdk.spans()).toEqual([]);
  });

  it('is the only value besides leaving it out: anything else is refused when the bot is made', () => {
    for (const telemetry of [true, 'off', 0, null]) {
      expect(() => suite.newBot({ telemetry: telemetry as never })).toThrow(/telemetry must be false \(off\) or left out/);
    }
  });

  it('leaves a bot that records next to it recording', async () => {
    const quiet = suite.newBot({ telemetry: false });
    const loud = suite.newBot();
    await quiet.handleRequest(callbackRequest({ value: [] }));
    await loud.handleRequest(callbackRequest({ value: [] }));
    expect(byAttributes(await sdk.points('graph_comms.callbacks'))).toEqual([{ attributes: status(202), value: 1 }]);
  });
});
