import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { CallingBot, RecordingDownloadError, type OperationOutcome, type RecordOperation } from '@graph-comms/core';
import { graphDoc } from './helpers/actions.js';

const TOKEN = 'recording-token-1';
const AUDIO = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 251));

// Serves the recording only with `Authorization: Bearer TOKEN`; the path picks the answer.
let server: Server;
let base: string;
const seen: Array<string | undefined> = [];
const hanging: ServerResponse[] = [];
function serve(req: IncomingMessage, res: ServerResponse) {
  seen.push(req.headers.authorization);
  const path = req.url ?? '';
  if (path === '/hang') return void hanging.push(res); // never answers
  if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end('unauthorized');
  const status = /^\/status\/(\d+)$/.exec(path)?.[1];
  if (status) return void res.writeHead(Number(status)).end(`status ${status}`);
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  // Chunked, as Microsoft's example shows.
  res.write(AUDIO.subarray(0, 30_000));
  setTimeout(() => res.end(AUDIO.subarray(30_000)), 10);
}

beforeAll(async () => {
  server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let bot: CallingBot;
beforeAll(() => {
  bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false });
});
afterAll(() => bot.close());
afterEach(() => {
  seen.length = 0;
  for (const res of hanging.splice(0)) res.destroy();
});

const outcome = (recordingLocation: unknown, recordingAccessToken: unknown = TOKEN): OperationOutcome<RecordOperation> => ({
  status: 'completed',
  operation: { '@odata.type': '#microsoft.graph.recordOperation', id: 'rec-1', status: 'completed', recordingLocation, recordingAccessToken } as RecordOperation,
});

async function refusal(promise: Promise<unknown>): Promise<RecordingDownloadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RecordingDownloadError);
  return error as RecordingDownloadError;
}

describe('bot.downloadRecording', () => {
  it('downloads the recording of an outcome as a Buffer, with the access token as bearer token', async () => {
    const data = await bot.downloadRecording(outcome(`${base}/recordings/1`));
    expect(Buffer.isBuffer(data)).toBe(true);
    expect(data.equals(AUDIO)).toBe(true);
    expect(seen).toEqual([`Bearer ${TOKEN}`]);
  });

  it('takes the recordOperation itself too', async () => {
    const data = await bot.downloadRecording(outcome(`${base}/recordings/1`).operation!);
    expect(data.equals(AUDIO)).toBe(true);
  });

  it('gives a Node Readable with { stream: true }', async () => {
    const stream = await bot.downloadRecording(outcome(`${base}/recordings/1`), { stream: true });
    expect(stream).toBeInstanceOf(Readable);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    expect(Buffer.concat(chunks).equals(AUDIO)).toBe(true);
  });

  it.each([
    [401, 'recording_expired'],
    [403, 'recording_expired'],
    [404, 'recording_not_found'],
    [410, 'recording_not_found'],
    [500, 'recording_unavailable'],
    [503, 'recording_unavailable'],
  ])('maps an answer %i to %s', async (status, code) => {
    const error = await refusal(bot.downloadRecording(outcome(`${base}/status/${status}`)));
    expect(error).toMatchObject({ code, status });
  });

  it('reports a token the server refuses as recording_expired', async () => {
    const error = await refusal(bot.downloadRecording(outcome(`${base}/recordings/1`, 'stale-token')));
    expect(error).toMatchObject({ code: 'recording_expired', status: 401 });
    expect(seen).toEqual(['Bearer stale-token']);
  });

  it.each([
    ['no operation', { status: 'completed' }],
    ['no location', outcome(undefined)],
    ['an empty location', outcome('')],
    // Thunks: the server's address is known only once the tests run.
    ['no token', () => ({ operation: { recordingLocation: `${base}/recordings/1` } })],
    ['a null token', () => outcome(`${base}/recordings/1`, null)],
    ['an empty token', () => outcome(`${base}/recordings/1`, '')],
    // What a cancelMediaProcessing notification reports for the canceled recordOperation.
    ['the canceled recording of Microsoft’s example', graphDoc('cancelMediaProcessing', 'ex1-cancel-media-processing.notification.json').value[0].resourceData],
    ['a location that is not a URL', outcome('file.location/1')],
    ['a file: URL', outcome('file:///etc/passwd')],
    ['an ftp: URL', outcome(`ftp://127.0.0.1/recording`)],
  ])('refuses %s as recording_missing, without a request', async (_name, source) => {
    const error = await refusal(bot.downloadRecording((typeof source === 'function' ? source() : source) as OperationOutcome<RecordOperation>));
    expect(error).toMatchObject({ code: 'recording_missing', status: 0 });
    expect(seen).toEqual([]);
  });

  it('gives up on a server that never answers within timeoutMs', async () => {
    const started = Date.now();
    const error = await refusal(bot.downloadRecording(outcome(`${base}/hang`), { timeoutMs: 200 }));
    expect(error).toMatchObject({ code: 'recording_unavailable', status: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await refusal(bot.downloadRecording(outcome(`${base}/hang`), { signal: controller.signal }));
    expect(error).toMatchObject({ code: 'recording_unavailable' });
  });

  it('reports a server that cannot be reached as recording_unavailable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await refusal(bot.downloadRecording(outcome(`http://127.0.0.1:${port}/recordings/1`)));
    expect(error).toMatchObject({ code: 'recording_unavailable', status: 0 });
  });
});
