// A CallStore around another one (RedisCallStore in the bot processes) that crashes its process
// right after a chosen write is applied: the write is in the store and none of its effects went
// out, as when a process dies between its commit and its events. The crash is injected here,
// through the store interface, so that the engine runs as it does in production. Until armed it
// only passes every call through.

const REQUIRED = ['getCall', 'reserveClientContext', 'releaseClientContext', 'close'];
// Forwarded only when the inner store has them: the bot looks for each of them.
const OPTIONAL = ['markEmitted', 'claimStaleOutboxes', 'scheduleDeadline', 'cancelDeadline', 'claimDeadline', 'claimDueDeadlines', 'publishOutcome', 'subscribeOutcomes'];

/**
 * @typedef {{ callId: string, effect: string }} CrashTrigger
 *   The first write of `callId` (canonical form) that adds an outbox entry holding an effect of
 *   type `effect` (`operationFinished`, `rosterUpdated`...) is the last one.
 */

/**
 * Wraps `inner`. `crash(entries)` is called with the new outbox entries of the triggering write,
 * once it is applied, and must not return (by default: SIGKILL to this process).
 * @param {import('@graph-comms/core').CallStore} inner
 * @param {(entries: object[]) => void} [crash]
 */
export function crashingStore(inner, crash = () => process.kill(process.pid, 'SIGKILL')) {
  /** @type {CrashTrigger | undefined} */
  let trigger;
  const store = {
    async updateCall(callId, step) {
      let before;
      const committed = await inner.updateCall(callId, (record) => {
        before = record; // the run that is written is the last one the store made
        return step(record);
      });
      const added = trigger && callId === trigger.callId ? newEntries(before, committed.record) : [];
      if (added.some((entry) => entry.effects.some((effect) => effect.type === trigger.effect))) {
        crash(added);
        return new Promise(() => {}); // nothing of this write may act, should the kill lag
      }
      return committed;
    },
    /** @param {CrashTrigger} next */
    arm(next) {
      if (typeof next?.callId !== 'string' || typeof next?.effect !== 'string') throw new TypeError('crashingStore: a trigger needs a callId and an effect type (strings)');
      trigger = { callId: next.callId, effect: next.effect };
    },
  };
  for (const name of REQUIRED) store[name] = (...args) => inner[name](...args);
  for (const name of OPTIONAL) if (typeof inner[name] === 'function') store[name] = (...args) => inner[name](...args);
  return store;
}

/** The outbox entries of `after` that `before` did not have; none when nothing was written. */
function newEntries(before, after) {
  if (!after || after === before) return [];
  const known = new Set((before?.outbox ?? []).map((entry) => entry.id));
  return (after.outbox ?? []).filter((entry) => !known.has(entry.id));
}
