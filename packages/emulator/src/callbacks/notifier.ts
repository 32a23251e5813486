import type { CallbackFaults, Faults } from '../faults.js';
import type { CallRecord } from '../calls/registry.js';
import type { Deliverer, DeliveryKind, DeliveryRecord } from './delivery.js';
import { otherIdForm } from './id-form.js';
import { commsNotifications, pascalCased, type NotificationSpec } from './notifications.js';

/** A notification about `call`, to the call's callbackUri. */
export type Notice = Omit<NotificationSpec, 'callId'> & { kind: DeliveryKind; call: CallRecord };

/** Turns notices into deliveries, applying the callback faults in force. */
export class Notifier {
  constructor(
    private readonly deliverer: Deliverer,
    private readonly callbackDelayMs: number,
    private readonly faults: Faults,
  ) {}

  /**
   * Queues the notices in order (each twice with `duplicate`, ids rewritten with `otherIdForm`);
   * resolves when all are settled. The faults set for the notice's call (`Faults.forCall`) win over `given`.
   */
  send(notices: readonly Notice[], given: CallbackFaults): Promise<DeliveryRecord[]> {
    const pending: Array<Promise<DeliveryRecord>> = [];
    for (const notice of notices) {
      const { drop, ...own } = this.faults.ofCall(notice.call.id);
      const faults: CallbackFaults = { ...given, ...own };
      const delayMs = this.callbackDelayMs + (faults.latencyMs ?? 0);
      const built = commsNotifications({ ...notice, callId: notice.call.id });
      const cased = faults.pascalCase === true ? pascalCased(built) : built;
      const body = faults.otherIdForm === true ? otherIdForm(cased) : cased;
      const copies = faults.duplicate === true ? 2 : 1;
      for (let copy = 0; copy < copies; copy += 1) {
        const request = { callId: notice.call.id, url: notice.call.callbackUri, kind: notice.kind, body: structuredClone(body), delayMs, duplicate: copy > 0 };
        pending.push(drop === true ? Promise.resolve(this.deliverer.drop(request)) : this.deliverer.enqueue(request));
      }
    }
    return Promise.all(pending);
  }
}
