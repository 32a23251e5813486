import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CallingBot, type CallbackResponse, type CommsNotification, type Participant } from '@graph-comms/core';
import { recordEvents } from '../../../test/helpers/recorder.js';
import { FlakyStore, seededRandom } from './helpers/flaky-store.js';

/*
 * Property-based tests of the callback entry points: bodies made from the seed and graph-docs
 * fixtures by mutation, and arbitrary JSON, never make the bot throw, answer 5xx (memory store)
 * or pollute prototypes; with a failing store the only 5xx is 503; and roster notifications that
 * carry sequence numbers give the same roster whatever their order and repeats.
 */

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

const FIXTURE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures');
const readFixture = (...path: string[]) => ({ name: path.join('/'), text: readFileSync(join(FIXTURE_ROOT, ...path), 'utf8') });
/** Every callback body of the invite page (seed 001) and of Microsoft's pages for the other actions. */
const FIXTURES: Array<{ name: string; text: string }> = [
  ...readdirSync(join(FIXTURE_ROOT, 'seed-001'))
    .filter((f) => f.includes('.notification-'))
    .sort()
    .map((f) => readFixture('seed-001', f)),
  ...readdirSync(join(FIXTURE_ROOT, 'graph-docs'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(FIXTURE_ROOT, 'graph-docs', d.name))
        .filter((f) => f.includes('.notification'))
        .sort()
        .map((f) => readFixture('graph-docs', d.name, f)),
    ),
];

/** A call's own life, which no page above prints whole: offered, established, a tone, a transfer, hold, the end. */
const LIFE_CALL = '/communications/calls/421f4100-1a2b-4c3d-8e9f-a0b1c2d3e4f5';
const callNotification = (changeType: string, resourceData: Record<string, unknown>) => ({ value: [{ changeType, resourceUrl: LIFE_CALL, resourceData: { '@odata.type': '#microsoft.graph.call', ...resourceData } }] });
const LIFE = [
  callNotification('created', {
    state: 'incoming',
    direction: 'incoming',
    source: { '@odata.type': '#microsoft.graph.participantInfo', identity: { user: { id: '8d9e0f10-aaaa-bbbb-cccc-123456789abc', displayName: 'Caller' } } },
    targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: { application: { id: 'app' } } }],
    callChainId: 'c0ffee00-0000-4000-8000-000000000001',
  }),
  callNotification('updated', { state: 'establishing' }),
  callNotification('updated', { state: 'Established' }),
  callNotification('updated', { state: 'established', toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: 1, tone: 'tone1' } }),
  callNotification('updated', { state: 'hold' }),
  callNotification('updated', { state: 'transferring' }),
  callNotification('updated', { state: 'transferAccepted' }),
  callNotification('updated', { state: 'terminating' }),
  callNotification('deleted', { state: 'terminated', resultInfo: { code: 200, subcode: 7015, message: 'Transferred.' } }),
].map((body, i) => ({ name: `life-${i}`, text: JSON.stringify(body) }));
FIXTURES.push(...LIFE);

const HEADERS = { 'content-type': 'application/json' };

// ---------------------------------------------------------------------------------------------
// Invariants checked after every run
// ---------------------------------------------------------------------------------------------

type Snapshot = Array<[PropertyKey, unknown, unknown, unknown]>;
const snapshotOf = (target: object): Snapshot =>
  Reflect.ownKeys(target).map((key) => {
    const d = Object.getOwnPropertyDescriptor(target, key)!;
    return [key, d.value, d.get, d.set];
  });
const PROTOTYPES: Array<[string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
];
const PRISTINE = PROTOTYPES.map(([name, proto]) => [name, snapshotOf(proto)] as const);

/** Throws when any prototype gained, lost or changed a property, or plain objects see `polluted`. */
function assertNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  if (probe['polluted'] !== undefined || ([] as unknown as Record<string, unknown>)['polluted'] !== undefined) {
    throw new Error(`prototype polluted: ({}).polluted = ${JSON.stringify(probe['polluted'])}`);
  }
  if (Object.getPrototypeOf(probe) !== Object.prototype) throw new Error('a plain object lost Object.prototype');
  PROTOTYPES.forEach(([name, proto], i) => {
    const now = snapshotOf(proto);
    const before = PRISTINE[i]![1];
    const same = now.length === before.length && now.every((e, j) => e.every((v, k) => Object.is(v, before[j]![k])));
    if (!same) throw new Error(`${name} changed: ${now.map((e) => String(e[0])).join(',')}`);
  });
}

/** A bot without token verification that records every event and error. */
function newBot(store?: FlakyStore) {
  const bot = new CallingBot({ logger: false, appId: 'app', tokenVerifier: false, ...(store ? { store } : {}) });
  return { bot, rec: recordEvents(bot) };
}

/** Lets anything that was left running settle (an unhandled rejection fails the test in Jest). */
const drain = () => new Promise((resolve) => setImmediate(resolve));

// ---------------------------------------------------------------------------------------------
// Mutations of fixture bodies
// ---------------------------------------------------------------------------------------------

type Json = unknown;
type Container = Record<string, Json> | Json[];
/** Where a value sits: its container and its key there. */
type Slot = [Container, string | number];

const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isContainer = (v: Json): v is Container => typeof v === 'object' && v !== null;

/** Every slot of the value (the holder's `root` first), breadth first, at most `limit`. */
function slotsOf(holder: { root: Json }, limit = 4000): Slot[] {
  const out: Slot[] = [[holder as Record<string, Json>, 'root']];
  for (let i = 0; i < out.length && out.length < limit; i++) {
    const [parent, key] = out[i]!;
    const v = (parent as Record<string | number, Json>)[key];
    if (Array.isArray(v)) v.forEach((_, j) => out.push([v, j]));
    else if (isObject(v)) for (const k of Object.keys(v)) out.push([v, k]);
  }
  return out.slice(0, limit);
}

const get = ([parent, key]: Slot): Json => (parent as Record<string | number, Json>)[key];
/** A fresh copy of a generated or constant value, so that later mutations never reach it (nor make cycles). */
const fresh = (value: Json): Json => (isContainer(value) ? JSON.parse(JSON.stringify(value)) : value);
/** Sets as an own data property, so that `__proto__` is a key like any other (as JSON.parse makes it). */
const set = ([parent, key]: Slot, value: Json): void => {
  Object.defineProperty(parent, key, { value, writable: true, enumerable: true, configurable: true });
};

const CASE_STYLES = ['upper', 'lower', 'pascal', 'alternate', 'spaced'] as const;
type CaseStyle = (typeof CASE_STYLES)[number];
function recase(s: string, style: CaseStyle): string {
  switch (style) {
    case 'upper':
      return s.toUpperCase();
    case 'lower':
      return s.toLowerCase();
    case 'pascal':
      return s.charAt(0).toUpperCase() + s.slice(1);
    case 'alternate':
      return [...s].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join('');
    case 'spaced':
      return ` ${s} `;
  }
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const BARE_GUID = /\b[0-9a-f]{32}\b/gi;
const upperBare = (s: string) => s.replace(GUID, (g) => g.replace(/-/g, '').toUpperCase());
const dashedLower = (s: string) => s.replace(BARE_GUID, (g) => `${g.slice(0, 8)}-${g.slice(8, 12)}-${g.slice(12, 16)}-${g.slice(16, 20)}-${g.slice(20)}`.toLowerCase());

/** Rewrites every string under `value` (keys too when `keys`) with `f`. */
function mapStrings(value: Json, f: (s: string, key: string | undefined) => string, key?: string): Json {
  if (typeof value === 'string') return f(value, key);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f, key));
  if (isObject(value)) {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(value)) set([out, k], mapStrings(value[k], f, k));
    return out;
  }
  return value;
}

const CASED_KEYS = new Set(['changeType', 'status', 'state', 'mediaType', 'direction', '@odata.type']);

/** Numbers at the edges of what JSON carries. */
const HUGE = [1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -(2 ** 53), 2 ** 31, 2 ** 32 + 1, -0, 5e-324, 0.5, -1, 1.7976931348623157e308] as const;

/** Values meant to pollute a prototype if a step merged them carelessly. */
const POLLUTERS: Json[] = [
  JSON.parse('{"polluted":"yes"}'),
  JSON.parse('{"__proto__":{"polluted":"yes"}}'),
  JSON.parse('{"prototype":{"polluted":"yes"}}'),
  JSON.parse('{"constructor":{"prototype":{"polluted":"yes"}}}'),
  'polluted',
  null,
  [JSON.parse('{"__proto__":{"polluted":"yes"}}')],
];

/** Fields a notification, an operation, a call or a participant is read by. */
const KNOWN_KEYS = [
  'changeType', 'resourceUrl', 'resource', 'resourceData', '@odata.type', 'id', 'clientContext', 'status', 'resultInfo', 'code', 'subcode',
  'state', 'participants', 'sequenceNumber', 'rosterSequenceNumber', 'removedState', 'info', 'identity', 'user', 'isMuted', 'value',
  'replacesCallId', 'myParticipantId', 'endpointType', 'mediaStreams', 'metadata', 'toneInfo', 'sequenceId', 'tone', 'direction', 'source', 'targets',
] as const;
const INTERESTING_VALUES: Json[] = [
  '#microsoft.graph.deltaParticipants', '#microsoft.graph.participant', '#microsoft.graph.playPromptOperation', '#microsoft.graph.inviteParticipantsOperation',
  '#microsoft.graph.call', '#microsoft.graph.commsOperation', 'Deleted', 'DELETED', 'created', 'updated', 'COMPLETED', 'Running', 'failed', 'notStarted',
  'terminated', 'Established', 'terminating', '/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5',
  '/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/participants', '/app/calls/ab6233a5-20b7-4c5e-bea2-ce56c9776429', 'communications/calls//',
  '/communications/calls/%E0%A4%A/operations/%', '/communications/calls/../../etc', 'https://graph.microsoft.com/beta/communications/calls/x?y#z',
  { reason: 'left' }, { code: '500', subCode: '9999' }, { code: 'abc' }, [], {}, 0, -1, 1e308, true, '', null,
  'incoming', 'Establishing', 'ringing', 'hold', 'transferring', 'TransferAccepted', 'redirecting', 'TERMINATING', 'tone1', 'pound',
  { tone: 'tone1', sequenceId: 3 }, { tone: 'star', sequenceId: 1e308 }, { tone: '', sequenceId: '7' }, { sequenceId: -0 },
];

/** A string of code points from anywhere in Unicode, lone surrogates included. */
const unicodeString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
  fc.constantFrom('\u0000', '\u202e', '\ufeff', 'é\u0301', '𝓒𝓪𝓵𝓵', 'ℂ𝕒𝕝𝕝', 'İ', 'ß', 'ﬃ', '\u2028\u2029'),
);

const mutation = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: fc.jsonValue({ maxDepth: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('retype' as const), pick: fc.nat(), variant: fc.nat(8) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('case' as const), pick: fc.nat(), style: fc.constantFrom(...CASE_STYLES) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('caseAll' as const), style: fc.constantFrom(...CASE_STYLES) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('ids' as const), toBare: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('null' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wrap' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unwrap' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('huge' as const), pick: fc.nat(), value: fc.constantFrom(...HUGE) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unicode' as const), pick: fc.nat(), value: unicodeString, append: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('protoKey' as const), pick: fc.nat(), key: fc.constantFrom('__proto__', 'constructor', 'prototype'), value: fc.constantFrom(...POLLUTERS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deep' as const), pick: fc.nat(), depth: fc.integer({ min: 2, max: 80 }), asArray: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('long' as const), pick: fc.nat(), length: fc.integer({ min: 300, max: 60_000 }), unit: fc.constantFrom('x', '/', 'é', '😀', '%', 'calls/', 'A-') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('setKey' as const), pick: fc.nat(), key: fc.constantFrom(...KNOWN_KEYS), value: fc.oneof(fc.constantFrom(...INTERESTING_VALUES), fc.jsonValue({ maxDepth: 2 })) }) },
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function retype(v: Json, variant: number): Json {
  switch (variant) {
    case 0:
      return JSON.stringify(v) ?? 'undefined';
    case 1:
      return typeof v === 'string' ? Number(v) || v.length : 42;
    case 2:
      return typeof v !== 'boolean';
    case 3:
      return [v];
    case 4:
      return { value: v };
    case 5:
      return [];
    case 6:
      return {};
    case 7:
      return '';
    default:
      return typeof v === 'number' ? String(v) : 0;
  }
}

function nest(v: Json, depth: number, asArray: boolean): Json {
  let out = v;
  for (let i = 0; i < depth; i++) out = asArray ? [out] : { resourceData: out };
  return out;
}

/** Applies one mutation to the body held in `holder.root`. */
function mutate(holder: { root: Json }, m: Mutation): void {
  if (m.kind === 'caseAll') {
    holder.root = mapStrings(holder.root, (s, key) => (key !== undefined && CASED_KEYS.has(key) ? recase(s, m.style) : s));
    return;
  }
  if (m.kind === 'ids') {
    holder.root = mapStrings(holder.root, m.toBare ? upperBare : dashedLower);
    return;
  }
  const slots = slotsOf(holder);
  const slot = slots[m.pick % slots.length]!;
  const value = get(slot);
  switch (m.kind) {
    case 'drop':
      if (Array.isArray(slot[0])) slot[0].splice(slot[1] as number, 1);
      else delete (slot[0] as Record<string, Json>)[slot[1]];
      return;
    case 'replace':
      return set(slot, fresh(m.value));
    case 'retype':
      return set(slot, retype(value, m.variant));
    case 'case':
      return set(slot, typeof value === 'string' ? recase(value, m.style) : mapStrings(value, (s) => recase(s, m.style)));
    case 'null':
      return set(slot, null);
    case 'wrap':
      return set(slot, [value]);
    case 'unwrap':
      return set(slot, Array.isArray(value) ? value[0] ?? {} : isObject(value) ? Object.values(value)[0] ?? null : value);
    case 'huge':
      return set(slot, m.value);
    case 'unicode':
      return set(slot, m.append && typeof value === 'string' ? value + m.value : m.value);
    case 'protoKey': {
      // On objects only: no JSON text gives an array a key of its own.
      const target = isObject(value) ? value : isObject(slot[0]) ? slot[0] : undefined;
      if (target) set([target, m.key], fresh(m.value));
      return;
    }
    case 'deep':
      return set(slot, nest(value, m.depth, m.asArray));
    case 'long': {
      const filler = m.unit.repeat(Math.ceil(m.length / m.unit.length));
      return set(slot, typeof value === 'string' && value.startsWith('/') ? value + filler : filler);
    }
    case 'duplicate':
      if (Array.isArray(slot[0])) slot[0].push(structuredClone(value));
      else if (Array.isArray(value) && value.length > 0) value.push(structuredClone(value[0]));
      return;
    case 'setKey': {
      const target = isObject(value) ? value : isObject(slot[0]) ? slot[0] : undefined;
      if (target) set([target, m.key], fresh(m.value));
      return;
    }
  }
}

/** What is done to the JSON text of a body. */
const textEdit = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'none' as const }) },
  // Literals JSON.parse turns into Infinity, -Infinity, a rounded integer, 0, -0.
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('number' as const), nth: fc.nat(), literal: fc.constantFrom('1e400', '-1e400', '123456789012345678901234567890', '1e-400', '-0', '0.1e1', '9007199254740993') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrapText' as const), before: fc.constantFrom('', ' \n\t', '\ufeff', '[', '{"value":'), after: fc.constantFrom('', ' \r\n', ']', '}', ',') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deepText' as const), depth: fc.integer({ min: 30, max: 20_000 }) }) },
);
type TextEdit = typeof textEdit extends fc.Arbitrary<infer E> ? E : never;

function editText(text: string, edit: TextEdit): string {
  switch (edit.kind) {
    case 'none':
      return text;
    case 'number': {
      const numbers = [...text.matchAll(/(:\s*)-?\d+(\.\d+)?([eE][+-]?\d+)?(?=\s*[,}\]])/g)];
      if (numbers.length === 0) return text.replace(/"value"\s*:/, `"sequenceNumber":${edit.literal},"value":`);
      const m = numbers[edit.nth % numbers.length]!;
      return text.slice(0, m.index! + m[1]!.length) + edit.literal + text.slice(m.index! + m[0].length);
    }
    case 'truncate':
      return text.slice(0, edit.at % Math.max(1, text.length));
    case 'wrapText':
      return edit.before + text + edit.after;
    case 'deepText':
      // A resourceData nested far beyond any real payload, as text (never built as an object here).
      return `{"value":[{"changeType":"updated","resourceUrl":"/communications/calls/c1/participants","resourceData":${'['.repeat(edit.depth)}${']'.repeat(edit.depth)}}]}`;
  }
}

/** How a body reaches handleRequest: its JSON text, its bytes, the object parsed from the text, or the mutated object itself. */
const FORMS = ['text', 'bytes', 'parsed', 'object'] as const;
type Form = (typeof FORMS)[number];

function bodyIn(form: Form, value: Json, text: string): unknown {
  switch (form) {
    case 'text':
      return text;
    case 'bytes':
      return Buffer.from(text, 'utf8');
    case 'parsed':
      try {
        return JSON.parse(text);
      } catch {
        return text; // not JSON after the edit: delivered as text, to be refused
      }
    case 'object':
      return value;
  }
}

const mutatedBody = fc.record({
  fixture: fc.nat({ max: FIXTURES.length - 1 }),
  // A body may also carry notifications of other fixtures (Graph batches several).
  extra: fc.array(fc.nat({ max: FIXTURES.length - 1 }), { maxLength: 2 }),
  mutations: fc.array(mutation, { minLength: 0, maxLength: 5 }),
  edit: textEdit,
  form: fc.constantFrom(...FORMS),
});
type MutatedBody = typeof mutatedBody extends fc.Arbitrary<infer B> ? B : never;

function buildMutated(spec: MutatedBody): { body: unknown; text: string } {
  const root = JSON.parse(FIXTURES[spec.fixture]!.text) as Record<string, Json[]>;
  for (const other of spec.extra) root['value']!.push(...(JSON.parse(FIXTURES[other]!.text) as Record<string, Json[]>)['value']!);
  const holder = { root: root as Json };
  for (const m of spec.mutations) mutate(holder, m);
  // JSON.stringify cannot fail on these values (no cycles, no BigInt); NaN and Infinity become null.
  const text = editText(JSON.stringify(holder.root) ?? 'null', spec.edit);
  return { body: bodyIn(spec.form, holder.root, text), text };
}

// ---------------------------------------------------------------------------------------------
// Arbitrary JSON, bare and dressed up as commsNotifications
// ---------------------------------------------------------------------------------------------

const CALL_PATHS = [
  '/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896',
  '/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/operations/0FE0623FD62842EDB4BD8AC290072CC5',
  '/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/participants',
  '/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/participants/p1',
  '/app/calls/ab6233a5-20b7-4c5e-bea2-ce56c9776429/operations/participants',
  'communications/calls/c1/operations',
  '/communications/calls/c1/audioRoutingGroups/x',
  '/not/a/call',
];
const dressedNotification = fc.record(
  {
    changeType: fc.oneof(fc.constantFrom('created', 'updated', 'deleted', 'Updated', 'DELETED', 'Created'), fc.jsonValue({ maxDepth: 1 })),
    resourceUrl: fc.oneof(fc.constantFrom(...CALL_PATHS), fc.constantFrom(...CALL_PATHS).chain((p) => unicodeString.map((u) => p + u)), fc.jsonValue({ maxDepth: 1 })),
    resource: fc.oneof(fc.constantFrom(...CALL_PATHS), fc.jsonValue({ maxDepth: 1 })),
    resourceData: fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.array(fc.dictionary(fc.constantFrom(...KNOWN_KEYS, '__proto__', 'constructor'), fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }),
      fc.dictionary(fc.constantFrom(...KNOWN_KEYS, '__proto__', 'prototype'), fc.oneof(fc.constantFrom(...INTERESTING_VALUES), fc.jsonValue({ maxDepth: 2 }))),
    ),
  },
  { requiredKeys: ['changeType'] },
);
const arbitraryBody = fc.oneof(
  fc.json({ maxDepth: 4 }).map((text) => ({ body: text as unknown, text })),
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ body: v as unknown, text: JSON.stringify(v) })),
  fc.record({ value: fc.array(dressedNotification, { maxLength: 4 }) }).map((v) => ({ body: JSON.parse(JSON.stringify(v)) as unknown, text: JSON.stringify(v) })),
  fc.record({ value: fc.array(dressedNotification, { maxLength: 4 }) }).map((v) => ({ body: JSON.stringify(v) as unknown, text: JSON.stringify(v) })),
);

// ---------------------------------------------------------------------------------------------
// 1. Nothing a callback body holds makes the bot throw, answer 5xx or pollute a prototype
// ---------------------------------------------------------------------------------------------

describe('handleRequest with any body (memory store)', () => {
  const BODIES_PER_RUN = 4;

  /** How many answers of each status, and events of each name, a test saw. */
  type Tally = Record<string, number>;
  const count = (tally: Tally, key: string | number) => void (tally[key] = (tally[key] ?? 0) + 1);

  async function feed(bodies: Array<{ body: unknown; text: string }>, tally: Tally): Promise<number> {
    const { bot, rec } = newBot();
    try {
      for (const { body, text } of bodies) {
        const answer: CallbackResponse = await bot.handleRequest({ headers: HEADERS, body });
        if (answer.status !== 202 && answer.status !== 400) {
          throw new Error(`answered ${answer.status} ${JSON.stringify(answer.body)} to ${text.slice(0, 2000)}`);
        }
        if (answer.status === 400 && !answer.body?.error.code) throw new Error('a 400 without an error code');
        count(tally, answer.status);
      }
      await drain();
      for (const e of rec.events) count(tally, e.name);
      // No listener throws, the store never fails: nothing may reach `error`.
      if (rec.errors.length > 0) throw new Error(`error events: ${rec.errors.map((e) => `${e.source}: ${e.error.stack}`).join('\n')}`);
      assertNoPollution();
      return bodies.length;
    } finally {
      await bot.close();
    }
  }

  it('answers 202 or 400, throws nothing and pollutes nothing, for 10 000 bodies mutated from the fixtures', async () => {
    expect(FIXTURES.length).toBeGreaterThanOrEqual(20);
    let fed = 0;
    const tally: Tally = {};
    const runs = 2500;
    await fc.assert(
      fc.asyncProperty(fc.array(mutatedBody, { minLength: BODIES_PER_RUN, maxLength: BODIES_PER_RUN }), async (specs) => {
        fed += await feed(specs.map(buildMutated), tally);
      }),
      { numRuns: runs, seed: 0x5eed001 },
    );
    expect(fed).toBe(runs * BODIES_PER_RUN);
    // The mutants reach the state machine, not only the validation: most are accepted and change state.
    expect(tally[202]! + tally[400]!).toBe(fed);
    expect(tally[202]).toBeGreaterThan(fed * 0.4);
    expect(tally[400]).toBeGreaterThan(fed * 0.1);
    for (const name of ['rosterUpdated', 'operationCompleted', 'operationFailed', 'callUpdated', 'callTerminated', 'notificationUnhandled']) {
      expect([name, (tally[name] ?? 0) > 100]).toEqual([name, true]);
    }
  }, 120_000);

  it('answers 202 or 400 to arbitrary JSON, bare and shaped as commsNotifications', async () => {
    let fed = 0;
    const tally: Tally = {};
    const runs = 1000;
    await fc.assert(
      fc.asyncProperty(fc.array(arbitraryBody, { minLength: BODIES_PER_RUN, maxLength: BODIES_PER_RUN }), async (bodies) => {
        fed += await feed(bodies, tally);
      }),
      { numRuns: runs, seed: 0x5eed002 },
    );
    expect(fed).toBe(runs * BODIES_PER_RUN);
    expect(tally[202]).toBeGreaterThan(fed * 0.1); // some arbitrary notifications are accepted
  }, 120_000);

  it('answers 202 to every fixture body unchanged, in each form', async () => {
    for (const form of FORMS) {
      const { bot, rec } = newBot();
      for (const { name, text } of FIXTURES) {
        const answer = await bot.handleRequest({ headers: HEADERS, body: bodyIn(form, JSON.parse(text), text) });
        expect([name, answer.status]).toEqual([name, 202]);
      }
      expect(rec.errors).toEqual([]);
      await bot.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 2. With a failing store the only 5xx is 503, and a redelivery is then accepted
// ---------------------------------------------------------------------------------------------

describe('handleRequest with a store that fails a fraction of writes', () => {
  it('answers only 202, 400 or 503, and 202 to the redelivery once the store is back', async () => {
    let fed = 0;
    let unavailable = 0;
    const runs = 500;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ weight: 3, arbitrary: mutatedBody.map(buildMutated) }, { weight: 1, arbitrary: arbitraryBody }), { minLength: 4, maxLength: 4 }),
        fc.integer(),
        fc.double({ min: 0.05, max: 0.6, noNaN: true }),
        async (bodies, seed, rate) => {
          const store = new FlakyStore(seededRandom(seed), rate);
          const { bot, rec } = newBot(store);
          try {
            for (const { body, text } of bodies) {
              store.rate = rate;
              const answer = await bot.handleRequest({ headers: HEADERS, body });
              fed++;
              if (![202, 400, 503].includes(answer.status)) throw new Error(`answered ${answer.status} ${JSON.stringify(answer.body)} to ${text.slice(0, 2000)}`);
              if (answer.status !== 503) continue;
              unavailable++;
              expect(answer.headers?.['retry-after']).toBeDefined();
              // Graph delivers it again; the store is back.
              store.rate = 0;
              const again = await bot.handleRequest({ headers: HEADERS, body });
              fed++;
              if (again.status !== 202) throw new Error(`the redelivery was answered ${again.status} ${JSON.stringify(again.body)}: ${text.slice(0, 2000)}`);
            }
            await drain();
            const foreign = rec.errors.filter((e) => e.source !== 'store' || (e.error as { code?: string }).code !== 'store_unavailable');
            if (foreign.length > 0) throw new Error(`error events not from the store: ${foreign.map((e) => `${e.source}: ${e.error.stack}`).join('\n')}`);
            assertNoPollution();
          } finally {
            await bot.close();
          }
        },
      ),
      { numRuns: runs, seed: 0x5eed003 },
    );
    expect(fed).toBeGreaterThanOrEqual(runs * 4);
    expect(unavailable).toBeGreaterThan(100); // the failures did happen
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------
// 3. Order and repeats of sequenced roster notifications do not change the final roster
// ---------------------------------------------------------------------------------------------

const CALL = 'b3c6a1f0-7d2e-4c1a-9e55-0a1b2c3d4e5f';
const CALL_IN_PATHS = 'B3C6A1F07D2E4C1A9E550A1B2C3D4E5F';
const PARTICIPANTS = 5;

/** What the model knows of one participant. */
interface Person {
  present: boolean;
  generation: number;
  isMuted: boolean;
  isInLobby: boolean;
}

/** One step of a call's history: who, and what the step does to them (read against the model). */
const historyStep = fc.record({ who: fc.nat(PARTICIPANTS - 1), action: fc.nat(9), newId: fc.boolean(), gap: fc.nat(2), group: fc.boolean() });
type HistoryStep = typeof historyStep extends fc.Arbitrary<infer S> ? S : never;

interface Change {
  who: number;
  leaving: boolean;
  participant: Participant;
}

const participantId = (who: number, generation: number) => `p${who}-${generation}`;

function participantOf(who: number, person: Person, extra: Partial<Participant>): Participant {
  return {
    '@odata.type': '#microsoft.graph.participant',
    id: participantId(who, person.generation),
    info: { '@odata.type': '#microsoft.graph.participantInfo', identity: { user: { id: `user-${who}`, displayName: `User ${who}` } }, endpointType: 'default' },
    mediaStreams: [{ mediaType: 'audio', sourceId: String(who + 1), direction: 'sendReceive', serverMuted: false }],
    isMuted: person.isMuted,
    isInLobby: person.isInLobby,
    ...extra,
  };
}

/**
 * Plays a history against the model: joins, mute and unmute, lobby changes, leaves and re-joins
 * (under the same id, or a new one when `newId`). Returns each step's change and the roster the
 * in-order history ends with (participant id → the participant as last reported).
 */
function play(steps: HistoryStep[], stamp: (change: { who: number; leaving: boolean }, step: HistoryStep) => Partial<Participant>) {
  const people: Person[] = Array.from({ length: PARTICIPANTS }, () => ({ present: false, generation: 0, isMuted: false, isInLobby: false }));
  const changes: Change[] = [];
  for (const step of steps) {
    const person = people[step.who]!;
    let leaving = false;
    if (!person.present) {
      // A join, or a re-join after a leave (Graph may give the returning participant a new id).
      if (step.newId && changes.some((c) => c.who === step.who)) person.generation++;
      person.present = true;
      person.isMuted = step.action % 2 === 1;
      person.isInLobby = false;
    } else if (step.action < 4) {
      person.isMuted = !person.isMuted;
    } else if (step.action < 6) {
      person.isInLobby = !person.isInLobby;
    } else {
      leaving = true;
    }
    changes.push({ who: step.who, leaving, participant: participantOf(step.who, person, stamp({ who: step.who, leaving }, step)) });
    if (leaving) person.present = false;
  }
  const expected = new Map<string, Participant>();
  for (const c of changes) {
    if (c.leaving) expected.delete(c.participant.id!);
    else expected.set(c.participant.id!, c.participant);
  }
  return { changes, expected };
}

/** Delivery orders: a permutation of the notifications plus repeats of some of them. */
const deliveryOf = (count: number) =>
  fc.record({
    repeats: fc.array(fc.nat({ max: Math.max(0, count - 1) }), { maxLength: count }),
    keys: fc.array(fc.nat(), { minLength: 2 * count, maxLength: 2 * count }),
    bodySizes: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 2 * count, maxLength: 2 * count }),
  });

/** The notifications in delivery order: every one once, the repeats once more, shuffled by the keys. */
function shuffled<T>(items: T[], delivery: { repeats: number[]; keys: number[] }): T[] {
  const all = [...items.map((_, i) => i), ...delivery.repeats.filter((i) => i < items.length)];
  return all
    .map((index, position) => ({ index, key: delivery.keys[position] ?? 0, position }))
    .sort((a, b) => a.key - b.key || a.position - b.position)
    .map((e) => items[e.index]!);
}

/** Cuts notifications into bodies of the given sizes. */
function bodiesOf(notifications: CommsNotification[], sizes: number[]): Array<{ value: CommsNotification[] }> {
  const bodies: Array<{ value: CommsNotification[] }> = [];
  for (let i = 0, b = 0; i < notifications.length; b++) {
    const size = sizes[b % sizes.length] ?? 1;
    bodies.push({ value: notifications.slice(i, i + size) });
    i += size;
  }
  return bodies;
}

/** The roster a bot holds for CALL: participant id → the participant. */
async function rosterOf(bot: CallingBot): Promise<Array<[string, Participant]>> {
  const record = await bot.getCall(CALL);
  return (record?.roster ?? []).map((e) => [e.participant.id ?? `identity:${e.identity}`, e.participant] as [string, Participant]).sort((a, b) => a[0].localeCompare(b[0]));
}
const sortedEntries = (m: Map<string, Participant>) => [...m.entries()].sort((a, b) => a[0].localeCompare(b[0]));

async function deliver(bodies: Array<{ value: CommsNotification[] }>) {
  const { bot, rec } = newBot();
  for (const body of bodies) await bot.processNotifications(structuredClone(body));
  const roster = await rosterOf(bot);
  await bot.close();
  return { roster, errors: rec.errors };
}


/** Delivered one by one in order, then shuffled and repeated in bodies: the same final roster, the one expected. */
async function expectSameAsInOrder(notifications: CommsNotification[], delivery: Parameters<typeof shuffled>[1] & { bodySizes: Parameters<typeof bodiesOf>[1] }, expected: Parameters<typeof sortedEntries>[0]): Promise<void> {
  const inOrder = await deliver(notifications.map((n) => ({ value: [n] })));
  expect(inOrder.errors).toEqual([]);
  expect(inOrder.roster).toEqual(sortedEntries(expected));
  const mixed = await deliver(bodiesOf(shuffled(notifications, delivery), delivery.bodySizes));
  expect(mixed.errors).toEqual([]);
  expect(mixed.roster).toEqual(inOrder.roster);
}

describe('sequenced rosters, delivered shuffled and repeated', () => {
  it('v1.0 rosters (rosterSequenceNumber): the same final roster as in order', async () => {
    const scenario = fc.array(historyStep, { minLength: 1, maxLength: 40 }).chain((steps) => {
      const count = steps.length; // at most one notification per step
      return fc.record({ steps: fc.constant(steps), delivery: deliveryOf(count) });
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ steps, delivery }) => {
        let seq = 0;
        const seqs: number[] = [];
        const { changes, expected } = play(steps, (_change, step) => {
          seq += 1 + step.gap;
          seqs.push(seq);
          return { rosterSequenceNumber: seq };
        });
        // Consecutive changes of different participants, of the same kind, may share one notification.
        const notifications: CommsNotification[] = [];
        let group: Change[] = [];
        const flush = () => {
          if (group.length === 0) return;
          const leaving = group[0]!.leaving;
          const path = notifications.length % 2 ? `/communications/calls/${CALL}/participants` : `/communications/calls/${CALL_IN_PATHS}/participants`;
          notifications.push({ changeType: leaving ? 'deleted' : 'updated', resourceUrl: path, resourceData: group.map((c) => c.participant) });
          group = [];
        };
        changes.forEach((c, i) => {
          const fits = group.length > 0 && steps[i]!.group && group[0]!.leaving === c.leaving && !group.some((g) => g.who === c.who);
          if (!fits) flush();
          group.push(c);
        });
        flush();

        await expectSameAsInOrder(notifications, delivery, expected);
      }),
      { numRuns: 300, seed: 0x5eed004 },
    );
  }, 60_000);

  it('beta delta rosters (deltaParticipants, sequenceNumber, removedState): the same final roster as in order', async () => {
    const scenario = fc.array(historyStep, { minLength: 1, maxLength: 40 }).chain((steps) => fc.record({ steps: fc.constant(steps), delivery: deliveryOf(steps.length) }));
    await fc.assert(
      fc.asyncProperty(scenario, async ({ steps, delivery }) => {
        const { changes, expected } = play(steps, (change) => (change.leaving ? { removedState: { reason: 'Removed from call' } } : {}));
        // Consecutive changes of different participants form one delta; its number orders them.
        const deltas: Change[][] = [];
        changes.forEach((c, i) => {
          const last = deltas.at(-1);
          if (last && steps[i]!.group && !last.some((g) => g.who === c.who)) last.push(c);
          else deltas.push([c]);
        });
        let sequenceNumber = 0;
        const notifications: CommsNotification[] = deltas.map((delta, i) => {
          sequenceNumber += 1 + steps[i % steps.length]!.gap;
          return {
            changeType: 'updated',
            resourceUrl: i % 2 ? `/communications/calls/${CALL}` : `/communications/calls/${CALL_IN_PATHS}`,
            resourceData: { '@odata.type': '#microsoft.graph.deltaParticipants', sequenceNumber, participants: delta.map((c) => c.participant) },
          };
        });

        await expectSameAsInOrder(notifications, delivery, expected);
      }),
      { numRuns: 300, seed: 0x5eed005 },
    );
  }, 60_000);
});
