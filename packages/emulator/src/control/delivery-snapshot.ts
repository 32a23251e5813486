import type { DeliveryKind, DeliveryRecord, DeliveryState } from '../callbacks/delivery.js';
import type { DeliveryAttempt } from '../callbacks/post.js';
import type { CommsNotifications } from '../types.js';

/** One attempt of a delivery, as the control API shows it: the delivery log's own. */
export type AttemptSnapshot = DeliveryAttempt;

/** A delivery, as `GET /_emulator/deliveries` and the `delivery` event show it (no Authorization header). */
export interface DeliverySnapshot {
  /** Position in the delivery log, from 1. */
  seq: number;
  /** When it was queued (ms since the epoch). */
  time: number;
  /** The call the callback is about. */
  callId: string;
  /** What the callback carries. */
  kind: DeliveryKind;
  /** The callbackUri it was sent to. */
  url: string;
  /** The exact body sent. */
  body: CommsNotifications;
  /** True for the second copy of a callback sent twice. */
  duplicate: boolean;
  /** Every attempt to send it, oldest first. */
  attempts: AttemptSnapshot[];
  /** The bot's last status (null: none). */
  status: number | null;
  /** Where the delivery stands. */
  state: DeliveryState;
  /** Present (true) when the call's `drop` fault kept it from being sent. */
  dropped?: true;
}

/** A JSON-safe view of a delivery record. */
export function deliverySnapshot(record: DeliveryRecord): DeliverySnapshot {
  return {
    seq: record.seq,
    time: record.time,
    callId: record.callId,
    kind: record.kind,
    url: record.url,
    body: record.body,
    duplicate: record.duplicate,
    attempts: record.attempts.map((a) => ({
      at: a.at,
      status: a.status,
      latencyMs: a.latencyMs,
      ...(a.error === undefined ? {} : { error: a.error }),
      ...(a.botError === undefined ? {} : { botError: a.botError }),
      ...(a.redirectedTo === undefined ? {} : { redirectedTo: a.redirectedTo }),
    })),
    status: record.status,
    state: record.state,
    ...(record.dropped === true ? { dropped: true as const } : {}),
  };
}
