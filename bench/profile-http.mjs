// `node bench/profile-http.mjs [new-call|mix] [seconds]`: a CPU profile of the callback middleware
// (bench/servers/bot.mjs, memory store, token cache on) under wrk, written to
// bench-results/profiles/, and its summary. For finding where the time goes, not for figures.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { startServer, stop } from './lib/children.mjs';
import { APP_ID, signedToken } from './lib/fixtures.mjs';
import { choosePinning } from './lib/pinning.mjs';
import { writeWorkloadFile } from './wrk/fill.mjs';
import { WORKLOADS } from './wrk/templates.mjs';
import { runOffsets } from './http-workload.mjs';
import { runWrk } from './wrk/run.mjs';

const [name = 'new-call', seconds = '8'] = process.argv.slice(2);
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = join(root, 'bench-results', 'profiles');
mkdirSync(dir, { recursive: true });
const pinning = choosePinning();
const { jwks, token } = await signedToken();
const file = writeWorkloadFile(join(dir, `${name}.tsv`), name);
const before = new Set(readdirSync(dir));
const { child, port } = await startServer(fileURLToPath(new URL('./servers/bot.mjs', import.meta.url)), {
  config: { appId: APP_ID, jwks, cache: true },
  execArgv: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  pin: { taskset: pinning.taskset, cpu: pinning.server },
});
const url = `http://127.0.0.1:${port}/api/calls`;
const headers = { authorization: `Bearer ${token}` };
await runWrk({ pinning, url, headers, workloadFile: file, ...runOffsets(WORKLOADS[name].calls, 0), connections: 16, seconds: 2 });
const r = await runWrk({ pinning, url, headers, workloadFile: file, ...runOffsets(WORKLOADS[name].calls, 1), connections: 16, seconds: Number(seconds) });
console.log(`${name}: ${Math.round(r.rps)} req/s`);
await stop(child);
const profile = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && !before.has(f));
console.log(execFileSync(process.execPath, [fileURLToPath(new URL('./profile-summary.mjs', import.meta.url)), join(dir, profile), '45'], { encoding: 'utf8' }));
