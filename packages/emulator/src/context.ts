import type { Notifier } from './callbacks/notifier.js';
import type { CallRegistry } from './calls/registry.js';
import type { Faults } from './faults.js';
import type { RecordingStore } from './recordings/store.js';
import type { ResolvedOptions } from './options.js';
import type { Scheduler } from './scheduler.js';

/** What the request handlers and call flows share inside one emulator. */
export interface EmulatorContext {
  readonly options: ResolvedOptions;
  readonly registry: CallRegistry;
  readonly notifier: Notifier;
  readonly scheduler: Scheduler;
  readonly faults: Faults;
  /** Recordings made by recordResponse, with their access tokens. */
  readonly recordings: RecordingStore;
  /** The emulator's base URL (`http://host:port/`), known once it listens. */
  baseUrl: string;
}
