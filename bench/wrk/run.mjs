// One wrk run against one server: wrk (one thread, on the load generator's CPU) sends the
// workload's callbacks for `seconds`; resolves what its done() line said.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pinned } from '../lib/pinning.mjs';

const SCRIPT = fileURLToPath(new URL('./callbacks.lua', import.meta.url));
const MARK = 'WRK_RESULT ';

/**
 * Reads the WRK_RESULT line of callbacks.lua's done() from wrk's output. Throws with the output's
 * tail when there is none or it does not parse.
 */
export function parseWrkOutput(stdout) {
  const line = stdout.split('\n').find((l) => l.startsWith(MARK));
  const tail = () => stdout.trim().split('\n').slice(-5).join(' | ');
  if (!line) throw new Error(`wrk printed no result line: ${tail() || '(no output)'}`);
  let raw;
  try {
    raw = JSON.parse(line.slice(MARK.length));
  } catch {
    throw new Error(`wrk's result line does not parse: ${line}`);
  }
  const seconds = raw.durationUs / 1e6;
  const socketErrors = raw.connect + raw.read + raw.write + raw.timeout;
  const ok = raw.requests - raw.status;
  if (!(seconds > 0) || !Number.isFinite(ok)) throw new Error(`wrk's result line is incomplete: ${line}`);
  return { ok, seconds, rps: ok / seconds, notOk: raw.status, socketErrors, p50Ms: raw.p50Us / 1000, p99Ms: raw.p99Us / 1000, maxMs: raw.maxUs / 1000, raw };
}

/**
 * Runs wrk: `connections` keep-alive connections on one thread, `seconds` (whole seconds: wrk's
 * unit), the workload file written by fill.mjs, and request indexes from `base`/`gen` (see
 * callbacks.lua). Rejects when wrk fails or prints no result.
 */
export function runWrk({ wrk = 'wrk', pinning, url, headers, workloadFile, base, gen, connections, seconds }) {
  const header = Object.entries({ 'content-type': 'application/json', ...headers }).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const args = ['-t1', `-c${connections}`, `-d${Math.max(1, Math.round(seconds))}s`, '--timeout', '10s', ...header, '-s', SCRIPT, url, '--', workloadFile, String(base), String(gen), '1'];
  const [command, argv] = pinned(pinning, pinning.load, wrk, args);
  // wrk exits 1 without a word when the script's init() fails on a missing file.
  if (!existsSync(workloadFile)) return Promise.reject(new Error(`no workload file ${workloadFile}`));
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
    child.once('error', (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
    child.once('exit', (code, signal) => {
      if (code !== 0) return reject(new Error(`wrk exited ${signal ?? code}: ${(stderr || stdout).trim().split('\n').slice(-3).join(' | ') || '(no output)'}`));
      try {
        resolve(parseWrkOutput(stdout));
      } catch (error) {
        reject(error);
      }
    });
  });
}
