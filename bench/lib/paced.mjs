// A paced (open-loop) load: request i is due at start + i / rate, whatever happened to the ones
// before, and its latency runs from when it was due, so a stall of the server is not hidden by
// the generator waiting for it (coordinated omission). autocannon's fixed rate cannot do this:
// each connection sends its quota for the second back to back and then idles, so at "half" the
// rate the server sees bursts at full speed. Nor can Debian's wrk 4.1 (no rate option: -R is wrk2's).
// Runs in a child of its own (paced-child.mjs), on the load generator's CPU.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setImmediate, setTimeout } from 'node:timers';

/**
 * Sends `rate` requests/s for `seconds` over at most `connections` keep-alive sockets. Resolves
 * like load(): { ok, seconds, latencies (ms, 2xx only), statuses, errors, timeouts, lateMs }.
 */
export async function pacedLoad({ url, headers, nextBody, connections, seconds, rate }) {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.max(1, Math.round(rate * seconds));
  const latencies = [];
  const statuses = {};
  let errors = 0;
  let timeouts = 0;
  let done = 0;
  let lateMs = 0; // how far behind schedule the generator itself fell, at worst
  const start = performance.now() + 20;

  const send = (due) => {
    const body = nextBody();
    const request = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, timeout: 10_000, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (response) => {
        response.resume();
        response.once('end', () => {
          const code = response.statusCode ?? 0;
          statuses[code] = (statuses[code] ?? 0) + 1;
          if (code >= 200 && code < 300) latencies.push(performance.now() - due);
          done += 1;
        });
      },
    );
    request.once('timeout', () => {
      timeouts += 1;
      request.destroy(new Error('timeout'));
    });
    request.once('error', () => {
      errors += 1;
      done += 1;
    });
    request.end(body);
  };

  let sent = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total) {
        const due = start + (sent * 1000) / rate;
        if (due > now) break;
        lateMs = Math.max(lateMs, now - due);
        send(due);
        sent += 1;
      }
      if (done >= total) return resolve();
      // Sleep on a timer when the next request is a millisecond or more away: a busy loop would
      // take the core the server's GC threads need on a small machine.
      const wait = sent < total ? start + (sent * 1000) / rate - performance.now() : 1;
      if (wait >= 1) setTimeout(tick, Math.floor(wait));
      else setImmediate(tick);
    };
    setImmediate(tick);
  });
  agent.destroy();
  return { ok: latencies.length, seconds: (performance.now() - start) / 1000, latencies, statuses, errors, timeouts, lateMs, autocannonP99Ms: NaN };
}
