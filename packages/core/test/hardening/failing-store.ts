import { MemoryCallStore, StoreError, type CallRecord, type Step } from '@graph-comms/core';

/** A memory store whose next writes fail where `failWhen` says so: a store outage seen through the CallStore interface. */
export class FailingStore extends MemoryCallStore {
  failWhen: (callId: string, record: CallRecord | undefined) => boolean = () => false;
  failures = 0;

  override updateCall<T>(callId: string, step: (record: CallRecord | undefined) => Step<T>): Promise<Step<T>> {
    return super.updateCall(callId, (record) => {
      const result = step(record);
      if (result.record && result.record !== record && this.failWhen(callId, result.record)) {
        this.failures++;
        throw new StoreError(`injected failure writing ${callId}`);
      }
      return result;
    });
  }
}
