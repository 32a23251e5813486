import type { CallStore } from '../store/call-store.js';

/** A store that has these optional methods. */
export type With<K extends keyof CallStore> = CallStore & Required<Pick<CallStore, K>>;

/** Whether `store` has every one of `methods` (the cases for optional parts check nothing otherwise). */
export const has = <K extends keyof CallStore>(store: CallStore, ...methods: K[]): store is With<K> => methods.every((m) => typeof store[m] === 'function');
