// The Node twin of callbacks.lua: the same bodies, request for request, for the paced generator
// (wrk cannot pace) and for the test that checks the two agree. Also writes the file the Lua
// script reads its templates from.
import { writeFileSync } from 'node:fs';
import { TONES, templatesOf, WORKLOADS } from './templates.mjs';

/**
 * Where request k of a run goes: call index i and visit v. `base` offsets the call indexes (a new
 * call workload gives each run fresh calls), `gen` the visits (each run of the mix continues
 * with higher sequence numbers than the runs before it).
 */
export function visitOf(calls, k, base, gen) {
  if (calls === 0) return { i: base + k, v: gen };
  return { i: base + (k % calls), v: gen + Math.floor(k / calls) };
}

const hex = (n, width) => n.toString(16).padStart(width, '0');

/** The values of the placeholders for call i at visit v. */
export const valuesOf = (i, v) => ({ I: hex(i, 12), S: String(v + 1), V: hex(v, 8), T: TONES[v % TONES.length] });

/** Fills one cut template (see templates.mjs: literal, name, literal, ...). */
export function fill(parts, values) {
  let text = parts[0];
  for (let p = 1; p < parts.length; p += 2) text += values[parts[p]] + parts[p + 1];
  return text;
}

/**
 * A generator of the run's bodies, in the order the Lua script makes them (with one connection,
 * the order they are sent in). Call i starts its cycle of templates at step i.
 */
export function bodySource(name, { base = 0, gen = 0 } = {}) {
  const templates = templatesOf(name);
  const { calls } = WORKLOADS[name];
  let k = 0;
  return () => {
    const { i, v } = visitOf(calls, k, base, gen);
    k += 1;
    return fill(templates[(v + i) % templates.length], valuesOf(i, v));
  };
}

/**
 * Writes the workload for callbacks.lua: one line per setting or template, fields separated by
 * tabs (JSON text holds none): `calls N`, `tones ...`, then `template literal name literal ...`.
 */
export function writeWorkloadFile(file, name) {
  const lines = [`calls\t${WORKLOADS[name].calls}`, ['tones', ...TONES].join('\t'), ...templatesOf(name).map((parts) => ['template', ...parts].join('\t'))];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
