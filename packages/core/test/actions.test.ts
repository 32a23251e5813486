import { describe, it, expect } from '@jest/globals';
import { GraphRequestError, type CallingBot, type Operation, type OperationFailedEvent, type OperationKind } from '@graph-comms/core';
import { botsWithFakeGraph } from '../../../test/helpers/bots.js';
import type { Answer } from '../../../test/helpers/fake-graph.js';
import { recordEvents } from '../../../test/helpers/recorder.js';
import { graphDoc, location, method, METHODS, settled } from './helpers/actions.js';

const CALL = '57dab8b1-894c-409a-b240-bd8beae78896';
const PID = 'fa1e9582-7145-4ca3-bcd8-577f561fcb6e';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const FORBIDDEN: Answer = { status: 403, headers: { 'request-id': 'req-9' }, body: { error: { code: 'Forbidden', message: 'Application is not allowed' } } };

const suite = botsWithFakeGraph();
const run = (bot: CallingBot, label: string, request?: unknown, callId = CALL) => method(label).run(bot, callId, PID, request) as Promise<Operation>;

describe('what each action sends', () => {
  const PATHS: Record<string, [string, string, number]> = {
    'call.playPrompt': ['POST', `/v1.0/communications/calls/${CALL}/playPrompt`, 200],
    'call.recordResponse': ['POST', `/v1.0/communications/calls/${CALL}/recordResponse`, 200],
    'call.subscribeToTone': ['POST', `/v1.0/communications/calls/${CALL}/subscribeToTone`, 200],
    'call.sendDtmfTones': ['POST', `/v1.0/communications/calls/${CALL}/sendDtmfTones`, 200],
    'call.cancelMediaProcessing': ['POST', `/v1.0/communications/calls/${CALL}/cancelMediaProcessing`, 200],
    'call.mute': ['POST', `/v1.0/communications/calls/${CALL}/mute`, 200],
    'call.unmute': ['POST', `/v1.0/communications/calls/${CALL}/unmute`, 200],
    'call.updateRecordingStatus': ['POST', `/v1.0/communications/calls/${CALL}/updateRecordingStatus`, 200],
    'call.changeScreenSharingRole': ['POST', `/v1.0/communications/calls/${CALL}/changeScreenSharingRole`, 202],
    'call.keepAlive': ['POST', `/v1.0/communications/calls/${CALL}/keepAlive`, 200],
    'call.hangUp': ['DELETE', `/v1.0/communications/calls/${CALL}`, 204],
    'participant.mute': ['POST', `/v1.0/communications/calls/${CALL}/participants/${PID}/mute`, 200],
    'participant.remove': ['DELETE', `/v1.0/communications/calls/${CALL}/participants/${PID}`, 204],
    'participant.startHoldMusic': ['POST', `/v1.0/communications/calls/${CALL}/participants/${PID}/startHoldMusic`, 202],
    'participant.stopHoldMusic': ['POST', `/v1.0/communications/calls/${CALL}/participants/${PID}/stopHoldMusic`, 202],
  };

  it.each(METHODS.map((m) => [m.label]))('%s: method, path and body', async (label) => {
    const m = method(label);
    const [verb, path, status] = PATHS[label]!;
    const bot = suite.newBot();
    suite.graph.script = () => (m.operation ? { status, body: { id: 'op-1', status: 'running' } } : { status });
    const result = await m.run(bot, CALL, PID, m.valid);
    expect(suite.graph.received).toHaveLength(1);
    const sent = suite.graph.received[0]!;
    expect([sent.method, sent.path]).toEqual([verb, path]);
    if (!m.operation) {
      expect(result).toBeUndefined();
      expect(sent.body).toEqual(m.takesRequest ? m.valid : undefined);
      return;
    }
    const op = result as Operation;
    expect(sent.body).toEqual({ ...(m.valid ?? {}), clientContext: op.clientContext });
    expect(op.clientContext).toMatch(UUID);
    expect(op).toMatchObject({ kind: m.action, callId: CALL, id: 'op-1', status: 'running' });
  });
});

// The answers that Microsoft's pages print as already final: no notification follows.
const FINAL: Array<[string, string, string]> = [
  ['call.subscribeToTone', 'subscribeToTone', 'ex1-subscribe-to-tone.response.json'],
  ['call.mute', 'mute', 'ex1-mute.response.json'],
  ['call.unmute', 'unmute', 'ex1-unmute.response.json'],
  ['participant.mute', 'muteParticipant', 'ex1-mute-participant.response.json'],
  ['call.cancelMediaProcessing', 'cancelMediaProcessing', 'ex1-cancel-media-processing.response.json'],
  ['call.updateRecordingStatus', 'updateRecordingStatus', 'ex1-update-recording-status.response.json'],
];

describe('operations Graph answers final', () => {
  it.each(FINAL)('%s answered completed (%s page) completes at once, with one event', async (label, action, file) => {
    const bot = suite.newBot();
    const rec = recordEvents(bot);
    const response = graphDoc(action, file);
    suite.graph.script = () => ({ status: 200, headers: location(action), body: response });
    const op = await run(bot, label, method(label).valid);
    expect(op.status).toBe('completed');
    expect(op.id).toBe(response.id);
    expect(await settled(op.completion)).toBe(true);
    await expect(op.completion).resolves.toEqual({ status: 'completed', operation: response });
    expect(rec.names()).toEqual(['operationCompleted']);
    const [e] = rec.of('operationCompleted');
    expect(e).toMatchObject({ kind: method(label).action, callId: CALL, operationId: response.id, clientContext: op.clientContext, operation: response });
    expect(e!.sent).toBe(op);
    expect(await bot.store.reserveClientContext(op.clientContext, CALL, 1000)).toBe(true);
  });

  it('an answer that is already failed fires operationFailed once, with its resultInfo', async () => {
    const bot = suite.newBot();
    const rec = recordEvents(bot);
    const resultInfo = { code: 400, subcode: 8502, message: 'group calls only' };
    suite.graph.script = () => ({ status: 200, body: { '@odata.type': '#microsoft.graph.muteParticipantOperation', id: 'm-1', status: 'Failed', resultInfo } });
    const op = await bot.call(CALL).mute();
    expect(op.status).toBe('failed');
    expect(await settled(op.completion)).toBe(true);
    await expect(op.completion).resolves.toMatchObject({ status: 'failed', resultInfo });
    expect(rec.names()).toEqual(['operationFailed']);
    expect(rec.of('operationFailed')[0]).toMatchObject({ kind: 'mute', reason: 'failed', resultInfo, sent: op });
  });
});

// [label, page folder, call, request, response, status, notification]
const RUNNING: Array<[string, string, string, string, string, number, string]> = [
  ['call.playPrompt', 'playPrompt', CALL, 'ex1-play-prompt.request.json', 'ex1-play-prompt.response.json', 200, 'ex1-play-prompt.notification.json'],
  ['call.recordResponse', 'recordResponse', CALL, 'ex1-record-response.request.json', 'ex1-record-response.response.json', 200, 'ex1-record-response.notification.json'],
  ['call.sendDtmfTones', 'sendDtmfTones', '481f3600-983e-4276-9b59-c1b30ec8d125', 'ex1-send-dtmf-tones.request.json', 'ex1-send-dtmf-tones.response.json', 200, 'ex1-send-dtmf-tones.notification-2.json'],
  ['participant.startHoldMusic', 'startHoldMusic', 'e141b67c-90fd-455d-858b-b48a40b9cc8d', 'ex1-start-hold-music.request.json', 'ex1-start-hold-music.response.json', 202, 'ex1-start-hold-music.notification.json'],
  ['participant.stopHoldMusic', 'stopHoldMusic', 'e141b67c-90fd-455d-858b-b48a40b9cc8d', 'ex1-stop-hold-music.request.json', 'ex1-stop-hold-music.response.json', 202, 'ex1-stop-hold-music.notification.json'],
];

describe('operations Graph answers running', () => {
  it.each(RUNNING)('%s settles on its completion notification (%s page), once', async (label, action, callId, reqFile, resFile, status, noteFile) => {
    const bot = suite.newBot();
    const rec = recordEvents(bot);
    const response = graphDoc(action, resFile);
    suite.graph.script = () => ({ status, headers: location(action), body: response });
    const request = graphDoc(action, reqFile);
    const op = await run(bot, label, request, callId);
    expect(suite.graph.received[0]!.body).toEqual(request);
    expect(op).toMatchObject({ kind: method(label).action, callId, id: response.id, clientContext: request.clientContext, status: 'running' });
    expect(await settled(op.completion)).toBe(false);
    expect(rec.events).toHaveLength(0);

    const notification = graphDoc(action, noteFile);
    await bot.processNotifications(notification);
    const data = notification.value[0].resourceData;
    expect(op.status).toBe('completed');
    await expect(op.completion).resolves.toMatchObject({ status: 'completed', operation: data });
    expect(rec.names()).toEqual(['operationCompleted']);
    expect(rec.of('operationCompleted')[0]).toMatchObject({ kind: method(label).action, callId, operationId: response.id, clientContext: request.clientContext });
    expect(rec.of('operationCompleted')[0]!.sent).toBe(op);

    // A repeat, and the same outcome told again in other words, fire nothing.
    await bot.processNotifications(notification);
    await bot.processNotifications({ value: [{ ...notification.value[0], resourceData: { ...data, status: 'Completed', '@odata.etag': 'W/"2"' } }] });
    expect(rec.events).toHaveLength(1);
  });

  it('correlates the playPrompt notification that names call and operation UPPERCASE without dashes and has no id', async () => {
    const bot = suite.newBot();
    const rec = recordEvents(bot);
    suite.graph.script = () => ({ status: 200, body: graphDoc('playPrompt', 'ex1-play-prompt.response.json') });
    const op = await bot.call(CALL).playPrompt({ prompts: [{ mediaInfo: { uri: 'https://cdn.contoso.com/beep.wav' } }] }); // its own clientContext
    const notification = graphDoc('playPrompt', 'ex1-play-prompt.notification.json');
    delete notification.value[0].resourceData.clientContext; // found by the id in the path alone
    await bot.processNotifications(notification);
    await expect(op.completion).resolves.toMatchObject({ status: 'completed', resultInfo: { code: 200, subcode: 0 } });
    expect(rec.of('operationCompleted')).toEqual([expect.objectContaining({ kind: 'playPrompt', callId: CALL, operationId: '0fe0623f-d628-42ed-b4bd-8ac290072cc5', sent: op })]);
  });

  it('op.id is live: from the Location header, or null until the notification names it', async () => {
    const bot = suite.newBot();
    const request = graphDoc('startHoldMusic', 'ex1-start-hold-music.request.json');
    const hold = 'e141b67c-90fd-455d-858b-b48a40b9cc8d';
    suite.graph.script = () => ({ status: 202, headers: location('startHoldMusic'), body: { status: 'running' } });
    expect((await suite.newBot().call(hold).participant(PID).startHoldMusic()).id).toBe('0fe0623f-d628-42ed-b4bd-8ac290072cc5');
    suite.graph.script = () => ({ status: 202 });
    const op = await bot.call(hold).participant(PID).startHoldMusic(request);
    expect([op.id, op.status]).toEqual([null, 'running']);
    await bot.processNotifications(graphDoc('startHoldMusic', 'ex1-start-hold-music.notification.json'));
    expect([op.id, op.status]).toEqual(['0fe0623f-d628-42ed-b4bd-8ac290072cc5', 'completed']);
  });

  it('cancelMediaProcessing: the canceled recordResponse fails with 400/8508 from its notification', async () => {
    const bot = suite.newBot();
    const rec = recordEvents(bot);
    suite.graph.script = () => ({ status: 200, body: graphDoc('recordResponse', 'ex1-record-response.response.json') });
    const recording = await bot.call(CALL).recordResponse(graphDoc('recordResponse', 'ex1-record-response.request.json'));
    suite.graph.script = () => ({ status: 200, body: graphDoc('cancelMediaProcessing', 'ex1-cancel-media-processing.response.json') });
    const cancel = await bot.call(CALL).cancelMediaProcessing();
    await bot.processNotifications(graphDoc('cancelMediaProcessing', 'ex1-cancel-media-processing.notification.json'));
    await expect(recording.completion).resolves.toMatchObject({ status: 'failed', resultInfo: { code: 400, subcode: 8508 } });
    expect(rec.of('operationCompleted')).toEqual([expect.objectContaining({ kind: 'cancelMediaProcessing', sent: cancel })]);
    expect(rec.of('operationFailed')).toEqual([expect.objectContaining({ kind: 'recordResponse', reason: 'failed', sent: recording, resultInfo: expect.objectContaining({ subcode: 8508 }) })]);
  });
});

describe('races, timeouts, refusals and ends', () => {
  it('a completion that overtakes the answer is correlated once; the later running answer changes nothing', async () => {
    const bot = suite.newBot();
    const rec = recordEvents(bot);
    const notification = graphDoc('playPrompt', 'ex1-play-prompt.notification.json');
    suite.graph.script = async () => {
      await bot.processNotifications(notification);
      return { status: 200, body: graphDoc('playPrompt', 'ex1-play-prompt.response.json') };
    };
    const op = await bot.call(CALL).playPrompt(graphDoc('playPrompt', 'ex1-play-prompt.request.json'));
    expect(rec.names()).toEqual(['operationCompleted']);
    expect(rec.of('operationCompleted')[0]).toMatchObject({ kind: 'playPrompt', callId: CALL, operationId: '0fe0623f-d628-42ed-b4bd-8ac290072cc5', sent: op });
    expect(rec.of('operationCompleted')[0]!.sent).toBe(op);
    expect([op.id, op.status]).toEqual(['0fe0623f-d628-42ed-b4bd-8ac290072cc5', 'completed']);
    await expect(op.completion).resolves.toMatchObject({ status: 'completed' });
    expect((await bot.getCall(CALL))!.operations.map((o) => o.status)).toEqual(['completed']);
    await bot.processNotifications(notification);
    expect(rec.events).toHaveLength(1);
  });

  it('times out an operation nobody answers: operationFailed(timedOut), completion timedOut', async () => {
    const bot = suite.newBot({ operationTimeoutMs: 100 });
    const rec = recordEvents(bot);
    suite.graph.script = () => ({ status: 200, body: graphDoc('playPrompt', 'ex1-play-prompt.response.json') });
    const op = await bot.call(CALL).playPrompt(graphDoc('playPrompt', 'ex1-play-prompt.request.json'));
    const started = Date.now();
    const event = new Promise<OperationFailedEvent>((resolve) => bot.once('operationFailed', resolve));
    await expect(op.completion).resolves.toEqual({ status: 'timedOut' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(op.status).toBe('timedOut');
    expect(await event).toMatchObject({ kind: 'playPrompt', reason: 'timedOut', sent: op, operationId: op.id });
    await bot.processNotifications(graphDoc('playPrompt', 'ex1-play-prompt.notification.json'));
    expect(rec.events).toHaveLength(1);
  });

  it.each(['a timeout', 'a completion notification'])('frees the clientContext by the time completion resolves after %s, for use at once', async (how) => {
    const bot = suite.newBot({ operationTimeoutMs: 100 });
    suite.graph.script = () => ({ status: 200, body: graphDoc('playPrompt', 'ex1-play-prompt.response.json') });
    const request = graphDoc('playPrompt', 'ex1-play-prompt.request.json');
    const first = await bot.call(CALL).playPrompt(request);
    // Whoever awaits the completion (not the callback endpoint) goes on with the same clientContext.
    if (how !== 'a timeout') void bot.processNotifications(graphDoc('playPrompt', 'ex1-play-prompt.notification.json'));
    await first.completion;
    await expect(bot.call(CALL).playPrompt(request)).resolves.toMatchObject({ clientContext: request.clientContext, status: 'running' });
  });

  it.each(METHODS.map((m) => [m.label]))('%s rejects a 403 with GraphRequestError and frees its clientContext', async (label) => {
    const m = method(label);
    const bot = suite.newBot();
    const rec = recordEvents(bot);
    suite.graph.script = () => FORBIDDEN;
    const request = m.operation ? { ...(m.valid ?? {}), clientContext: 'ctx-403' } : m.valid;
    const error = await run(bot, label, request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ status: 403, graphCode: 'Forbidden', graphMessage: 'Application is not allowed', requestId: 'req-9', code: 'graph_error' });
    expect(rec.events).toHaveLength(0);
    if (!m.operation) return;
    suite.graph.script = () => ({ status: 200, body: { id: 'op-2', status: 'running' } });
    await expect(run(bot, label, request)).resolves.toMatchObject({ clientContext: 'ctx-403', id: 'op-2' });
    expect(suite.graph.received).toHaveLength(2);
  });

  it("a call that ends fails every operation still pending on it, with the call's resultInfo", async () => {
    const bot = suite.newBot();
    const rec = recordEvents(bot);
    suite.graph.script = () => ({ status: 200, body: graphDoc('mute', 'ex1-mute.response.json') });
    const muted = await bot.call(CALL).mute();
    suite.graph.script = () => ({ status: 202, body: { id: null, status: 'running' } });
    const pending: Operation<OperationKind>[] = [
      await bot.call(CALL).playPrompt({ prompts: [{ mediaInfo: { uri: 'https://cdn.contoso.com/a.wav' } }] }),
      await bot.call(CALL).recordResponse(),
      await bot.call(CALL).participant(PID).startHoldMusic(),
    ];
    rec.events.length = 0;
    await bot.processNotifications(graphDoc('hangUp', 'ex1-hang-up.notification-2.json'));
    const ended = { code: 200, subcode: 5001, message: 'The conversation has ended.' };
    for (const op of pending) {
      expect(await settled(op.completion)).toBe(true);
      await expect(op.completion).resolves.toMatchObject({ status: 'failed', resultInfo: ended });
      expect(op.status).toBe('failed');
    }
    const failed = rec.of('operationFailed');
    expect(failed.map((e) => [e.kind, e.reason, e.sent])).toEqual([
      ['playPrompt', 'failed', pending[0]],
      ['recordResponse', 'failed', pending[1]],
      ['startHoldMusic', 'failed', pending[2]],
    ]);
    for (const e of failed) expect(e.resultInfo).toMatchObject(ended);
    expect(rec.of('callTerminated')).toEqual([expect.objectContaining({ callId: CALL })]);
    expect(muted.status).toBe('completed');
  });

  it.each([
    ['#microsoft.graph.playPromptOperation', 'playPrompt'],
    ['#microsoft.graph.recordOperation', 'recordResponse'],
    ['#microsoft.graph.muteParticipantOperation', 'muteParticipant'],
    ['#microsoft.graph.startHoldMusicOperation', 'startHoldMusic'],
    [undefined, 'unknown'],
    ['#microsoft.graph.somethingNewOperation', 'unknown'],
  ])('names an operation the bot did not send from its @odata.type %s: %s', async (type, kind) => {
    const bot = suite.newBot();
    const rec = recordEvents(bot);
    const resourceData = { ...(type ? { '@odata.type': type } : {}), id: 'foreign-op', clientContext: 'foreign', status: 'completed' };
    await bot.processNotifications({ value: [{ changeType: 'deleted', resourceUrl: `/communications/calls/${CALL}/operations/foreign-op`, resourceData }] });
    expect(rec.names()).toEqual(['operationCompleted']);
    const [e] = rec.of('operationCompleted');
    expect(e).toMatchObject({ kind, operationId: 'foreign-op', clientContext: 'foreign' });
    expect(e!.sent).toBeUndefined();
  });
});
