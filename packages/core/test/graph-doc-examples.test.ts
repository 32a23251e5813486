import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { CallingBot, type Operation } from '@graph-comms/core';
import { FakeGraph } from '../../../test/helpers/fake-graph.js';
import { graphDoc, graphDocText } from '../../../test/helpers/fixtures.js';
import { recordEvents } from '../../../test/helpers/recorder.js';

// Microsoft's pages print the call and operation ids dashed in lower case in requests and
// responses, and in upper case without dashes in the notification paths of the same call.
const CALL = '57dab8b1-894c-409a-b240-bd8beae78896';
const CALL_IN_PATHS = '57DAB8B1894C409AB240BD8BEAE78896';
const OPERATION = '0fe0623f-d628-42ed-b4bd-8ac290072cc5';
const LOCATION = `https://graph.microsoft.com/v1.0/communications/calls/${CALL}/operations/${OPERATION}`;

const examples = [
  { action: 'playPrompt', file: 'ex1-play-prompt', send: (bot: CallingBot, request: never) => bot.call(CALL).playPrompt(request) },
  { action: 'recordResponse', file: 'ex1-record-response', send: (bot: CallingBot, request: never) => bot.call(CALL).recordResponse(request) },
] as const;

let graph: FakeGraph;
beforeAll(async () => {
  graph = await FakeGraph.start();
});
afterAll(() => graph.close());

/** Posts the page's notification, byte for byte, as the callback body. */
const deliver = (bot: CallingBot, action: string, file: string) =>
  bot.handleRequest({ headers: { 'content-type': 'application/json' }, body: Buffer.from(graphDocText(action, `${file}.notification.json`)) });

describe.each(examples)("Microsoft's $action page, replayed", ({ action, file, send }) => {
  const request = () => graphDoc(action, `${file}.request.json`) as never;
  const respond = () => {
    graph.script = () => ({ status: 200, headers: { location: LOCATION }, body: graphDoc(action, `${file}.response.json`) });
  };

  it('sends the page request, and correlates the page notification (ids in the other form) with it', async () => {
    respond();
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, graphClient: graph.client() });
    const rec = recordEvents(bot);
    const op: Operation = await send(bot, request());
    expect(graph.received.at(-1)).toMatchObject({ method: 'POST', path: `/v1.0/communications/calls/${CALL}/${action}`, body: request() });
    expect(op).toMatchObject({ kind: action, callId: CALL, id: OPERATION, status: 'running', clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c' });

    await expect(deliver(bot, action, file)).resolves.toEqual({ status: 202 });
    const outcome = await op.completion;
    expect(outcome).toMatchObject({ status: 'completed', resultInfo: graphDoc(action, `${file}.notification.json`).value[0].resourceData.resultInfo });
    expect(op.status).toBe('completed');
    expect(rec.names()).toEqual(['operationCompleted']);
    const [event] = rec.of('operationCompleted');
    expect(event).toMatchObject({ kind: action, callId: CALL, operationId: OPERATION });
    expect(event!.sent).toBe(op);
    if (action === 'recordResponse') {
      expect(outcome.operation).toMatchObject({ recordingLocation: 'https://file.location/17e3b46c-f61d-4f4d-9635-c626ef18e6ad', recordingAccessToken: '<access-token>' });
    }
    // One record, whichever form of the call id asks for it.
    expect(await bot.getCall(CALL_IN_PATHS)).toBe(await bot.getCall(CALL));
    expect((await bot.getCall(CALL))!.operations).toHaveLength(1);

    // Delivered again: nothing new.
    await deliver(bot, action, file);
    expect(rec.events).toHaveLength(1);
    await bot.close();
  });

  it('correlates the page notification once when it overtakes the response', async () => {
    const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, graphClient: graph.client() });
    const rec = recordEvents(bot);
    graph.script = async () => {
      await deliver(bot, action, file);
      return { status: 200, headers: { location: LOCATION }, body: graphDoc(action, `${file}.response.json`) };
    };
    const op = await send(bot, request());
    await expect(op.completion).resolves.toMatchObject({ status: 'completed' });
    expect(op).toMatchObject({ status: 'completed', id: OPERATION });
    expect(rec.names()).toEqual(['operationCompleted']);
    const ops = (await bot.getCall(CALL))!.operations;
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({ kind: action, sent: true, status: 'completed', id: OPERATION });
    await bot.close();
  });
});
