import { randomUUID } from 'node:crypto';
import { StoreError, canonicalId, upgradeCallRecord, type CallRecord, type Logger, type Step } from '@graph-comms/core';
import type { Redis } from 'ioredis';
import { timed } from './connection.js';
import { READ_CALL, WRITE_CALL } from './scripts.js';

/** What one optimistic update needs. */
export interface UpdateTarget {
  redis: Redis;
  callId: string;
  key: string;
  timeoutMs: number;
  ttlOf(record: CallRecord): number;
  logger: Logger;
}

/** Writers of one call rarely collide more than a few times in a row; past this, something is wrong. */
const MAX_ATTEMPTS = 32;

/**
 * Optimistic read-modify-write: read the record and its version, run the step, write only if the
 * version is unchanged, else run the step again on the newer record. A version checked in a Lua
 * script rather than WATCH/MULTI/EXEC because WATCH belongs to a connection: concurrent updates
 * of different calls on one shared connection would spoil each other's watches, whereas the
 * script is one atomic command that any number of callers can pipeline. Each version is a
 * random token, not a counter, so a call that expired and came back never matches an old read.
 * Resolves with the step of the run that was written; runs that lost leave nothing behind.
 */
export async function optimisticUpdate<T>(target: UpdateTarget, step: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const read = await failsAsStoreError(readCall(target), `could not read call ${target.callId}`);
    const result = step(read.record);
    if (!result.record || result.record === read.record) return result; // nothing to write
    const version = randomUUID();
    // The write must land while its caller still waits: half the timeout after the read (on
    // Redis's clock), which leaves the other half for the answer to come back.
    const deadline = read.redisNow + Math.floor(target.timeoutMs / 2);
    const args = [read.version, version, JSON.stringify(result.record), target.ttlOf(result.record), deadline];
    const written = await failsAsStoreError(timed(WRITE_CALL.run(target.redis, [target.key], args), target.timeoutMs, 'write'), `could not write call ${target.callId}`);
    if (written === 1) return result;
    if (written === -1) throw new StoreError(`the write of call ${target.callId} reached Redis too late and was not applied`);
    target.logger.debug({ callId: target.callId, attempt }, 'call changed by another writer; running the step again');
    if (attempt >= 3) await pause(Math.random() * attempt * 2); // breaks up writers in lockstep
  }
  throw new StoreError(`call ${target.callId} kept changing under ${MAX_ATTEMPTS} attempts to update it`);
}

interface ReadCall {
  version: string;
  record: CallRecord | undefined;
  redisNow: number;
}

async function readCall(target: UpdateTarget): Promise<ReadCall> {
  const reply = await timed(READ_CALL.run(target.redis, [target.key], []), target.timeoutMs, 'read');
  if (!Array.isArray(reply) || reply.length !== 3 || typeof reply[2] !== 'number') throw new Error('unexpected answer to the read script');
  const [version, json, redisNow] = reply as [unknown, unknown, number];
  if (typeof json !== 'string') return { version: '', record: undefined, redisNow };
  return { version: typeof version === 'string' ? version : '', record: parseRecord(json, target.callId), redisNow };
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

/** Redis failures become StoreError (503 for the callback); errors thrown by a step stay as they are. */
export async function failsAsStoreError<T>(promise: Promise<T>, message: string): Promise<T> {
  try {
    return await promise;
  } catch (cause) {
    throw cause instanceof StoreError ? cause : new StoreError(`${message}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
