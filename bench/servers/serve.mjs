// The IPC side of every server the benchmark forks: listen on 127.0.0.1 (a free port), say
// 'ready' with the port, answer 'stats' (with the event loop delay and GC time since the last
// 'reset'), close on 'stop', and exit when the parent goes away.
import { once } from 'node:events';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';

/** Runs `server` (an http.Server, not yet listening) for the parent. */
export async function serve(server, { stats = () => ({}), close = async () => {} } = {}) {
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');

  // Sampled only from 'reset' to 'stats': an idle server's 1 ms timer would wake up on the CPU
  // the measured server runs on.
  const delay = monitorEventLoopDelay({ resolution: 1 });
  let gcMs = 0;
  let since = performance.now();
  let cpuSince = process.cpuUsage();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  }).observe({ entryTypes: ['gc'] });
  const loopStats = () => ({
    eventLoopDelayP99Ms: delay.percentile(99) / 1e6,
    eventLoopDelayMaxMs: delay.max / 1e6,
    gcShare: gcMs / (performance.now() - since),
    cpuCores: cpuCores(process.cpuUsage(cpuSince), performance.now() - since),
  });

  let closing = false;
  const shutdown = async (code) => {
    if (closing) return;
    closing = true;
    server.closeAllConnections?.();
    server.close();
    await Promise.race([close(), new Promise((r) => setTimeout(r, 2000).unref())]).catch(() => undefined);
    process.exit(code);
  };
  process.on('message', (message) => {
    if (message?.type === 'reset') {
      delay.reset();
      delay.enable();
      gcMs = 0;
      since = performance.now();
      cpuSince = process.cpuUsage();
    }
    if (message?.type === 'stats') {
      process.send({ type: 'stats', ...stats(), ...loopStats(), rssBytes: process.memoryUsage().rss });
      delay.disable();
    }
    if (message?.type === 'stop') void shutdown(0);
  });
  process.on('disconnect', () => void shutdown(0));
  process.send({ type: 'ready', port: server.address().port });
}

/** CPU time (user + system) per wall-clock time: 1.0 is one core busy all the time. */
export const cpuCores = (usage, wallMs) => (usage.user + usage.system) / 1000 / wallMs;

/** The configuration the parent passed in BENCH_CONFIG. */
export const config = () => JSON.parse(process.env.BENCH_CONFIG ?? '{}');

/** Reports a start-up failure to the parent instead of dying silently. */
export function fail(error) {
  process.send?.({ type: 'error', message: error?.stack ?? String(error) });
  process.exit(1);
}
