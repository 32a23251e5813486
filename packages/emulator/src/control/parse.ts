import { randomUUID } from 'node:crypto';
import { isHttpUrl } from '../calls/create.js';
import type { IncomingCallOptions } from '../calls/incoming.js';
import { identifiedEntries } from '../calls/identity.js';
import type { CreateCallOptions } from '../calls/snapshot.js';
import type { CallFaults } from '../faults.js';
import { isJsonObject, type CallKind, type IdentitySet, type JsonObject, type ResultInfo } from '../types.js';
import { invalid } from './errors.js';

/** Reads control API request bodies; every rule broken is a 400 that says which. */

const KINDS: readonly CallKind[] = ['peerToPeer', 'group', 'meeting'];
const FAULT_FLAGS = ['duplicate', 'pascalCase', 'otherIdForm', 'drop'] as const;
/** Longest latency a fault may add (10 minutes). */
const MAX_LATENCY_MS = 600_000;

/** The body as an object; `optional` lets an absent body stand for `{}`. */
export function objectBody(body: unknown, optional = false): JsonObject {
  if (body === undefined && optional) return {};
  if (!isJsonObject(body)) throw invalid('The request body must be a JSON object.');
  return body;
}

/** `POST /_emulator/calls/incoming`. */
export function incomingCallBody(body: unknown): IncomingCallOptions {
  const b = objectBody(body);
  const options: IncomingCallOptions = { callbackUri: callbackUri(b) };
  if (b.from !== undefined) options.from = identityOf(b.from, 'from');
  if (b.kind !== undefined) options.kind = kind(b.kind);
  if (b.id !== undefined) options.id = callId(b.id);
  return options;
}

/** `POST /_emulator/calls`: a call fixture. */
export function createCallBody(body: unknown): CreateCallOptions {
  const b = objectBody(body);
  const options: CreateCallOptions = { callbackUri: callbackUri(b) };
  if (b.participants !== undefined) {
    if (!Array.isArray(b.participants)) throw invalid('participants must be an array.');
    options.participants = b.participants.map((p, i) => identityOf(p, `participants[${i}]`));
  }
  if (b.kind !== undefined) options.kind = kind(b.kind);
  if (b.id !== undefined) options.id = callId(b.id);
  if (b.announce !== undefined) options.announce = boolean(b.announce, 'announce');
  return options;
}

/** `POST /_emulator/calls/{id}/participants`: `{ displayName?, id? }` or `{ identity }`. */
export function participantBody(body: unknown): IdentitySet {
  const b = objectBody(body, true);
  return b.identity !== undefined ? identitySet(b.identity, 'identity') : simpleUser(b, 'the body');
}

/** `POST .../participants/{pid}/mute`. */
export function muteBody(body: unknown): boolean {
  const b = objectBody(body);
  if (b.muted === undefined) throw invalid('muted is required (true or false).');
  return boolean(b.muted, 'muted');
}

/** `POST .../tones`: the tone's name (checked against the tone list by the action). */
export function toneBody(body: unknown): string {
  const b = objectBody(body);
  if (typeof b.tone !== 'string') throw invalid('tone is required: a string such as "tone1" or "pound".');
  return b.tone;
}

/** `POST .../end`: the optional resultInfo `{ code, subcode, message? }`. */
export function endBody(body: unknown): ResultInfo | undefined {
  const b = objectBody(body, true);
  if (b.resultInfo === undefined) return undefined;
  const r = b.resultInfo;
  if (!isJsonObject(r)) throw invalid('resultInfo must be an object { code, subcode, message? }.');
  if (!Number.isInteger(r.code) || !Number.isInteger(r.subcode)) throw invalid('resultInfo.code and resultInfo.subcode must be integers.');
  if (r.message !== undefined && typeof r.message !== 'string') throw invalid('resultInfo.message must be a string.');
  return { code: r.code as number, subcode: r.subcode as number, message: typeof r.message === 'string' ? r.message : '' };
}

/** `PUT .../faults`. */
export function faultsBody(body: unknown): CallFaults {
  const b = objectBody(body);
  const faults: CallFaults = {};
  for (const [key, value] of Object.entries(b)) {
    if ((FAULT_FLAGS as readonly string[]).includes(key)) {
      faults[key as (typeof FAULT_FLAGS)[number]] = boolean(value, key);
    } else if (key === 'latencyMs') {
      if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > MAX_LATENCY_MS) throw invalid(`latencyMs must be an integer from 0 to ${MAX_LATENCY_MS}.`);
      faults.latencyMs = value as number;
    } else {
      throw invalid(`Unknown fault "${key}": use ${[...FAULT_FLAGS, 'latencyMs'].join(', ')}.`);
    }
  }
  return faults;
}

/** `GET /_emulator/deliveries` query: `callId`, `since` (a seq), `limit`. */
export function deliveriesQuery(query: URLSearchParams): { callId?: string; since: number; limit?: number } {
  const result: { callId?: string; since: number; limit?: number } = { since: 0 };
  const id = query.get('callId');
  if (id !== null && id !== '') result.callId = id;
  const since = query.get('since');
  if (since !== null && since !== '') result.since = wholeNumber(since, 'since', 0);
  const limit = query.get('limit');
  if (limit !== null && limit !== '') result.limit = wholeNumber(limit, 'limit', 1);
  return result;
}

function wholeNumber(value: string, name: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw invalid(`${name} must be a whole number >= ${min}, not "${value}".`);
  return n;
}

function callbackUri(b: JsonObject): string {
  if (b.callbackUri === undefined) throw invalid('callbackUri is required.');
  if (typeof b.callbackUri !== 'string' || !isHttpUrl(b.callbackUri)) throw invalid(`callbackUri must be an absolute http(s) URL, not ${JSON.stringify(b.callbackUri)}.`);
  return b.callbackUri;
}

function kind(value: unknown): CallKind {
  if (typeof value !== 'string' || !(KINDS as readonly string[]).includes(value)) throw invalid(`kind must be one of ${KINDS.join(', ')}.`);
  return value as CallKind;
}

function callId(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.includes('/')) throw invalid('id must be a non-empty string without "/".');
  return value;
}

function boolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw invalid(`${name} must be true or false.`);
  return value;
}

/** `{ displayName?, id? }` (a user) or an identity set. */
function identityOf(value: unknown, name: string): IdentitySet {
  if (!isJsonObject(value)) throw invalid(`${name} must be an object: { displayName?, id? } or an identity set.`);
  const simple = Object.keys(value).every((key) => key === 'displayName' || key === 'id');
  return simple ? simpleUser(value, name) : identitySet(value, name);
}

function simpleUser(value: JsonObject, name: string): IdentitySet {
  if (value.id !== undefined && (typeof value.id !== 'string' || value.id.trim() === '')) throw invalid(`${name}: id must be a non-empty string.`);
  if (value.displayName !== undefined && typeof value.displayName !== 'string') throw invalid(`${name}: displayName must be a string.`);
  const id = typeof value.id === 'string' ? value.id : randomUUID();
  return { user: { id, ...(typeof value.displayName === 'string' ? { displayName: value.displayName } : {}) } };
}

function identitySet(value: unknown, name: string): IdentitySet {
  if (!isJsonObject(value) || identifiedEntries(value).length === 0) {
    throw invalid(`${name} must be an identity set naming someone with an id, e.g. { "user": { "id": "..." } }.`);
  }
  return value;
}
