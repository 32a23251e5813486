// Child processes of the benchmark: every one is tracked and killed when the run ends, also on
// errors and signals. Node children talk over IPC: `{ type: 'ready' | 'result' | ... }`.
import { fork, spawn } from 'node:child_process';

const live = new Set();

function track(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.on('error', () => undefined); // e.g. EPIPE on an IPC send racing the child's own exit
  return child;
}

/** Kills whatever is still running (synchronous, so it also works in an 'exit' handler). */
export function killAll() {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

/**
 * Forks a Node script with its own event loop; `env.BENCH_CONFIG` carries its configuration.
 * With `pin: { taskset, cpu }` it runs under `taskset -c cpu` (the IPC channel survives the exec).
 */
export function forkNode(script, { config = {}, execArgv = [], pin } = {}) {
  const onCpu = pin?.taskset && pin.cpu !== undefined;
  const child = fork(script, [], {
    ...(onCpu ? { execPath: pin.taskset, execArgv: ['-c', String(pin.cpu), process.execPath, ...execArgv] } : { execArgv }),
    env: { ...process.env, BENCH_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return track(child);
}

/** Forks one of bench/servers and resolves `{ child, port }` once it listens. */
export async function startServer(script, options = {}) {
  const child = forkNode(script, options);
  const { port } = await nextMessage(child, 'ready', 15_000);
  return { child, port };
}

/** Spawns any program (redis-server). */
export function spawnProgram(command, args) {
  return track(spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Resolves with the first IPC message of `type`; rejects on exit or after `timeoutMs`. */
export function nextMessage(child, type, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no '${type}' message from ${child.spawnfile} ${child.pid} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message) => {
      if (message?.type === 'error') done(new Error(`child ${child.pid}: ${message.message}`));
      else if (message?.type === type) done(undefined, message);
    };
    const onExit = (code, signal) => done(new Error(`child ${child.pid} exited (${signal ?? code}) before sending '${type}'`));
    function done(error, message) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Asks a child to stop, then kills it if it has not exited within `graceMs`. */
export async function stop(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    if (child.connected) child.send({ type: 'stop' }, () => undefined);
    else child.kill('SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
