// A throw-away redis-server on a free 127.0.0.1 port: no persistence, stopped at the end.
import { spawnSync } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { spawnProgram, stop } from './children.mjs';

/** The program, found on PATH as the tests find it. */
export const REDIS_SERVER = 'redis-server';

export const redisAvailable = () => spawnSync(REDIS_SERVER, ['--version'], { stdio: 'ignore' }).status === 0;

async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once PING answers PONG, within `timeoutMs`. */
async function waitForPong(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      const finish = (value) => {
        socket.destroy();
        resolve(value);
      };
      socket.setTimeout(500, () => finish(false));
      socket.once('error', () => finish(false));
      socket.once('connect', () => socket.write('PING\r\n'));
      socket.once('data', (data) => finish(data.toString().startsWith('+PONG')));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
}

/** Starts redis-server (with `pin: { taskset, cpu }`, under `taskset -c cpu`); resolves `{ url, stop() }`. */
export async function startRedis({ pin } = {}) {
  const port = await freePort();
  const [command, prefix] = pin?.taskset && pin.cpu !== undefined ? [pin.taskset, ['-c', String(pin.cpu), REDIS_SERVER]] : [REDIS_SERVER, []];
  const child = spawnProgram(command, [...prefix, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--loglevel', 'warning']);
  let output = '';
  child.stdout.on('data', (d) => (output = (output + d).slice(-2000)));
  child.stderr.on('data', (d) => (output = (output + d).slice(-2000)));
  try {
    await waitForPong(port, 5000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n${output}`);
  }
  return { url: `redis://127.0.0.1:${port}`, stop: () => stop(child) };
}
