// Rows of the table for what things cost in bytes and in Redis commands: (4a) and (4xa), the
// bytes allocated per roster notification without and with an outbox; (5d), (5k), (5p), the heap
// at scale; (6c), (6m), the Redis commands per notification and the bytes Redis holds per call.
import { bytes, failed, int, ratio } from './lib/format.mjs';

/** (4a), and (4xa) against it. Per function in the JSON file (byFunction). */
export function allocationRows(plain, kept, out) {
  if (plain) out.push({ id: '4a', figure: 'allocated per roster notification (framework)', value: failed(plain) ?? `${int(plain.bytesPerNotification)} B`, target: 'informational' });
  if (!kept) return;
  const both = !failed(plain) && !failed(kept) && plain;
  out.push({ id: '4xa', figure: 'allocated per roster notification, store with an outbox', value: failed(kept) ?? `${int(kept.bytesPerNotification)} B`, ratio: both ? `${ratio(kept.bytesPerNotification / plain.bytesPerNotification)} x (4a)` : '', target: 'informational' });
}

/** (5d) per established call, (5k) per keepAlive deadline, (5p) per pending operation, at scale. */
export function scaleRows(scale, out) {
  if (!scale) return;
  const problem = failed(scale) ?? (scale.errors ? `error: ${scale.errors} error events (${scale.firstError})` : undefined);
  if (problem) return out.push({ id: '5d', figure: 'heap at scale', value: problem });
  const n = int(scale.calls);
  const ka = scale.deadlines?.kept?.ka ?? 0;
  const deadlinesHeld = ka === scale.calls && !scale.deadlines?.plain?.ka ? `${int(ka)} keepAlive deadlines held` : `expected ${n} keepAlive deadlines, found ${int(ka)}`;
  out.push({ id: '5d', figure: `heap per established call, one participant (${n} calls, keepAlives off)`, value: bytes(scale.perCallBytes), ratio: `store's estimate ${bytes(scale.storeEstimatePerCallBytes)}`, target: 'informational' });
  out.push({ id: '5k', figure: `heap per keepAlive deadline (${n} established calls, one each)`, value: bytes(scale.perDeadlineBytes), ratio: deadlinesHeld, target: 'informational' });
  out.push({ id: '5p', figure: `heap per pending operation, ${n} established calls (${n} invites)`, value: bytes(scale.perPendingOperationBytes), target: 'informational' });
}

/** (6c) Redis commands per notification, (6m) the bytes Redis holds per call, on the mix. */
export function redisCostRows(cost, out) {
  if (!cost) return;
  const problem = failed(cost);
  if (problem) return out.push({ id: '6c', figure: 'Redis commands per notification [mix]', value: problem });
  const outbox = (cost.sent['outbox index (script)'] ?? 0) + (cost.sent['mark emitted (script)'] ?? 0);
  const figure = `Redis commands per notification [mix, in-process, ${int(cost.notifications)}]`;
  out.push({ id: '6c', figure, value: `${cost.sentPerNotification.toFixed(2)} sent, ${cost.ranPerNotification.toFixed(1)} run`, ratio: `${outbox.toFixed(2)} sent for the outbox`, target: 'informational' });
  const m = cost.memory;
  const parts = `record ${bytes(m.callKeyBytes)}, deadlines ${bytes(m.deadlinesPerCallBytes)}, outbox ${bytes(m.outboxKeyBytes * m.outboxKeysPresent)} at rest`;
  out.push({ id: '6m', figure: `Redis memory per active call [mix, ${int(cost.calls)} calls]`, value: bytes(m.usedPerCallBytes), ratio: parts, target: 'informational' });
}
