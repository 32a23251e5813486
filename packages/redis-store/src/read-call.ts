import { canonicalId, upgradeCallRecord, type CallRecord } from '@graph-comms/core';
import type { RedisClient } from './client.js';
import { parseOutbox, sortedEntries, type StoredOutbox } from './outbox.js';
import { READ_CALL } from './scripts.js';

/** A call as one script read it. */
export interface ReadCall {
  /** The version token, '' when there is no record. */
  version: string;
  /** The record with its outbox (sorted by seq), undefined when there is none. */
  record: CallRecord | undefined;
  outbox: StoredOutbox;
  /** Redis's clock at the read, in ms. */
  redisNow: number;
}

/** Reads a call's record and outbox in one script, so that both are of one moment. */
export async function readCall(redis: RedisClient, callId: string, keys: { call: string; outbox: string }): Promise<ReadCall> {
  const reply = await READ_CALL.run(redis, [keys.call, keys.outbox], []);
  if (!Array.isArray(reply) || reply.length !== 4 || typeof reply[2] !== 'number') throw new Error('unexpected answer to the read script');
  const [version, json, redisNow, fields] = reply as [unknown, unknown, number, unknown];
  // Entries without a record are left over from a call that expired: a new record starts without them.
  if (typeof json !== 'string') return { version: '', record: undefined, outbox: new Map(), redisNow };
  const outbox = parseOutbox(fields, callId);
  const record = parseRecord(json, callId);
  const entries = sortedEntries(outbox);
  if (entries.length > 0) record.outbox = entries;
  else delete record.outbox;
  return { version: typeof version === 'string' ? version : '', record, outbox, redisNow };
}

/** Parses a stored record; a key holding something else is a store failure, not an empty call. */
export function parseRecord(json: string, callId: string): CallRecord {
  const record: unknown = JSON.parse(json);
  // A record names its call as the bot first used the id; the key holds the canonical form.
  const named = (record as { callId?: unknown } | null)?.callId;
  if (typeof record !== 'object' || record === null || typeof named !== 'string' || canonicalId(named) !== canonicalId(callId)) {
    throw new Error(`the key of call ${callId} holds something that is not its record`);
  }
  return upgradeCallRecord(record as CallRecord);
}

/** The record's JSON without its outbox, which lives in a hash of its own. */
export function recordJson(record: CallRecord): string {
  if (record.outbox === undefined) return JSON.stringify(record);
  const { outbox: _kept, ...rest } = record;
  return JSON.stringify(rest);
}
