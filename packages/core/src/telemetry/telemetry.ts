import type { CallbackRequest, CallbackResponse, CallbackTarget } from '../http/handle-request.js';
import type { RoutedNotification } from '../notifications/classify.js';
import type { ActionName } from '../operations/actions.js';
import type { OperationEventKind } from '../operations/resources.js';

/** Handles one callback: `handleCallback` without its telemetry (it ignores `target.telemetry`). */
export type CallbackRun = (target: CallbackTarget, request: CallbackRequest) => Promise<CallbackResponse>;

/**
 * What the bot tells its metrics and traces. Only kinds, statuses and actions go in: never a
 * token, an identity or an id (they would leak, and make every series unique).
 */
export interface Telemetry {
  /** Runs one callback through `run` within its span; counts the status answered and times it. */
  callback(target: CallbackTarget, request: CallbackRequest, run: CallbackRun): Promise<CallbackResponse>;
  /** One notification of a callback's body, by what it is about. */
  notification(kind: RoutedNotification['kind']): void;
  /** Sends one Graph request through `send` within its span; times it with the status Graph answered. */
  graphRequest<T extends { status: number }>(action: ActionName, send: () => Promise<T>): Promise<T>;
  /** An operation reached its outcome (`completed`, `failed` or `timedOut`). */
  operationFinished(kind: OperationEventKind, outcome: string): void;
  /** How many operations this process awaits now (told after every change). */
  awaiting(count: number): void;
}

/** Records nothing: `telemetry: false`, or no `@opentelemetry/api` installed. */
export const NO_TELEMETRY: Telemetry = {
  callback: (target, request, run) => run(target, request),
  notification: () => undefined,
  graphRequest: (_action, send) => send(),
  operationFinished: () => undefined,
  awaiting: () => undefined,
};

/** Records nothing until `use()` gives it what to record with: the API loads after the bot is made. */
export class SwitchingTelemetry implements Telemetry {
  #current: Telemetry = NO_TELEMETRY;

  /** From now on, everything goes to `telemetry`. */
  use(telemetry: Telemetry): void {
    this.#current = telemetry;
  }

  callback(target: CallbackTarget, request: CallbackRequest, run: CallbackRun): Promise<CallbackResponse> {
    return this.#current.callback(target, request, run);
  }

  notification(kind: RoutedNotification['kind']): void {
    this.#current.notification(kind);
  }

  graphRequest<T extends { status: number }>(action: ActionName, send: () => Promise<T>): Promise<T> {
    return this.#current.graphRequest(action, send);
  }

  operationFinished(kind: OperationEventKind, outcome: string): void {
    this.#current.operationFinished(kind, outcome);
  }

  awaiting(count: number): void {
    this.#current.awaiting(count);
  }
}
