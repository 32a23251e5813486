// Which CPU the load generator gets and which the servers get: two of the CPUs this process may
// run on, each side held to its own with `taskset -c`, so that neither steals the other's core.
import { readFileSync } from 'node:fs';
import { findOnPath } from '../../scripts/system-deps/probe.mjs';

/** Parses a Linux CPU list (`0-1`, `0,2-3`) into ascending CPU numbers; throws on anything else. */
export function parseCpuList(text) {
  const cpus = new Set();
  for (const item of String(text).trim().split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(item);
    if (!match) throw new Error(`not a CPU list: "${text}"`);
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (last < first) throw new Error(`not a CPU list: "${text}"`);
    for (let cpu = first; cpu <= last; cpu += 1) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

/** The CPUs of `/proc/self/status` (Cpus_allowed_list), or undefined off Linux. */
function allowedCpus() {
  try {
    const line = readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('Cpus_allowed_list:'));
    return line ? parseCpuList(line.split(':')[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The pinning of the HTTP figures: `{ load, server, taskset, summary }` with two CPUs, or
 * `{ summary }` alone (and no CPUs) when this machine cannot pin, saying why. `options`
 * ({ cpus, taskset }) replaces what this machine has.
 */
export function choosePinning(options = {}) {
  // Given, even as undefined, wins: the tests say "no taskset" that way.
  const cpus = 'cpus' in options ? options.cpus : allowedCpus();
  const taskset = 'taskset' in options ? options.taskset : findOnPath('taskset');
  if (!taskset) return { summary: 'not pinned: taskset not found (util-linux)' };
  if (!cpus || cpus.length < 2) return { summary: `not pinned: this process may use ${cpus ? cpus.length : 'an unknown number of'} CPU(s), pinning needs 2` };
  const [load, server] = cpus;
  return { load, server, taskset, summary: `load generator on CPU ${load} (taskset -c ${load}), each server on CPU ${server} (taskset -c ${server})` };
}

/** `[command, args]` that runs `command args` on `cpu` (unchanged when `cpu` is undefined). */
export function pinned(pinning, cpu, command, args) {
  if (cpu === undefined || !pinning.taskset) return [command, args];
  return [pinning.taskset, ['-c', String(cpu), command, ...args]];
}
