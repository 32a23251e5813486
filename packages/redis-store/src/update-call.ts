import { randomUUID } from 'node:crypto';
import { StoreError, type CallRecord, type Logger, type Step } from '@graph-comms/core';
import type { RedisClient } from './client.js';
import { timed } from './connection.js';
import { outboxChange } from './outbox.js';
import { readCall, recordJson } from './read-call.js';
import { WRITE_CALL } from './scripts.js';

/** What one optimistic update needs. */
export interface UpdateTarget {
  redis: RedisClient;
  callId: string;
  keys: { call: string; outbox: string };
  timeoutMs: number;
  ttlOf(record: CallRecord): number;
  /** Raises the call in the stale-outbox index to `leaseUntil` (never lowers it). */
  index(leaseUntil: number): Promise<unknown>;
  logger: Logger;
}

/** Writers of one call rarely collide more than a few times in a row; past this, something is wrong. */
const MAX_ATTEMPTS = 32;

/**
 * Optimistic read-modify-write: read the record, its version and its outbox, run the step, write
 * only if the version is unchanged (and every entry the step took over is still there), else run
 * the step again on what is there now. A version checked in a Lua script rather than WATCH/MULTI/
 * EXEC because WATCH belongs to a connection: concurrent updates on one shared connection would
 * spoil each other's watches, whereas the script is one atomic command any number of callers can
 * pipeline. Each version is a random token, not a counter, so a call that expired and came back
 * never matches an old read. Resolves with the step of the run that was written.
 */
export async function optimisticUpdate<T>(target: UpdateTarget, step: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const read = await failsAsStoreError(timed(readCall(target.redis, target.callId, target.keys), target.timeoutMs, 'read'), `could not read call ${target.callId}`);
    const result = step(read.record);
    if (!result.record || result.record === read.record) return result; // nothing to write
    const change = outboxChange(read.outbox, result.record.outbox);
    // The write must land while its caller still waits: half the timeout after the read (on
    // Redis's clock), which leaves the other half for the answer to come back.
    const deadline = read.redisNow + Math.floor(target.timeoutMs / 2);
    const args = [read.version, randomUUID(), recordJson(result.record), target.ttlOf(result.record), deadline, change.added.length, change.changed.length, ...change.added.flat(), ...change.changed.flat(), ...change.dropped];
    // Indexed before the write returns, so that a process killed right after it leaves the call
    // to the sweep: sent first (one round trip on one Redis; on a Cluster, another node at once).
    const indexed = change.latestLease === undefined ? undefined : target.index(change.latestLease);
    const writing = failsAsStoreError(timed(WRITE_CALL.run(target.redis, [target.keys.call, target.keys.outbox], args), target.timeoutMs, 'write'), `could not write call ${target.callId}`);
    const [written] = await Promise.all([writing, indexed?.catch((error: unknown) => target.logger.warn({ callId: target.callId, err: String(error) }, 'could not index the outbox of a call; its entries are emitted when the call is next touched'))]);
    if (written === 1) return result;
    if (written === -1) throw new StoreError(`the write of call ${target.callId} reached Redis too late and was not applied`);
    target.logger.debug({ callId: target.callId, attempt }, written === 2 ? 'an outbox entry taken over was emitted meanwhile; running the step again' : 'call changed by another writer; running the step again');
    if (attempt >= 3) await pause(Math.random() * attempt * 2); // breaks up writers in lockstep
  }
  throw new StoreError(`call ${target.callId} kept changing under ${MAX_ATTEMPTS} attempts to update it`);
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
