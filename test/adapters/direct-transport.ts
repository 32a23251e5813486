import { ANSWER_WAIT_MS, totalLength, type Transport } from './transport.js';

/** A transport that calls a fetch handler directly with Node's own `Request`, its body a stream of the parts. */
export function directTransport(handler: (request: Request) => Promise<Response>): Transport {
  return async (request) => {
    const parts = (request.parts ?? []).map((part) => new Uint8Array(Buffer.from(part)));
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          const next = parts.shift();
          if (next) controller.enqueue(next);
          else if (!request.stall) controller.close();
          // A stalled body gives nothing more and never ends.
          else return new Promise<void>(() => undefined);
        },
      },
      { highWaterMark: 0 },
    );
    const framing: Record<string, string> = request.framing === 'chunked' ? {} : { 'content-length': String(request.declaredLength ?? totalLength(request.parts ?? [])) };
    const fetchRequest = new Request('http://127.0.0.1/api/calls', { method: 'POST', headers: { ...request.headers, ...framing }, body, duplex: 'half' } as RequestInit);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const response = await Promise.race([handler(fetchRequest), new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ANSWER_WAIT_MS)))]);
    clearTimeout(timer);
    if (!response) return { status: 0, headers: {}, body: '', closed: false };
    const headers = Object.fromEntries(response.headers);
    return { status: response.status, headers, body: await response.text(), closed: headers['connection'] === 'close' };
  };
}
