import type { Attributes, Span } from '@opentelemetry/api';
import { GraphRequestError } from '../errors.js';
import type { CallbackRequest, CallbackResponse, CallbackTarget } from '../http/handle-request.js';
import type { RoutedNotification } from '../notifications/classify.js';
import { ACTIONS, type ActionName } from '../operations/actions.js';
import type { OperationEventKind } from '../operations/resources.js';
import { createInstruments, type Instruments } from './instruments.js';
import type { OtelApi } from './load-api.js';
import { ATTR, errorType, notificationCount, notificationKind, pathTemplate } from './names.js';
import type { CallbackRun, Telemetry } from './telemetry.js';

const seconds = (since: number): number => (performance.now() - since) / 1000;

/**
 * Attribute sets are few (kinds, statuses, outcomes): each is made once and reused, so that a
 * notification allocates nothing here for the API's no-ops or an SDK's aggregation to key on.
 */
function cached<K>(make: (key: K) => Attributes): (key: K) => Attributes {
  const made = new Map<K, Attributes>();
  return (key) => {
    let attributes = made.get(key);
    if (!attributes) made.set(key, (attributes = Object.freeze(make(key))));
    return attributes;
  };
}

const byKind = cached((kind: RoutedNotification['kind']) => ({ [ATTR.notificationKind]: notificationKind(kind) }));
const byStatus = cached((status: number) => ({ [ATTR.status]: status }));
const byOutcome = cached((key: string) => {
  const [kind, outcome] = key.split('\n') as [string, string];
  return { [ATTR.operationKind]: kind, [ATTR.outcome]: outcome };
});

/** Metrics and traces through `@opentelemetry/api`: to whatever SDK the process registered, or the API's no-ops. */
export class OtelTelemetry implements Telemetry {
  readonly #api: OtelApi;
  readonly #i: Instruments;
  // What this bot last added to the pending count, so that each change adds only the difference.
  #reported = 0;

  readonly #serverSpan: { kind: number };

  constructor(api: OtelApi) {
    this.#api = api;
    this.#i = createInstruments(api);
    this.#serverSpan = { kind: api.SpanKind.SERVER };
  }

  callback(target: CallbackTarget, request: CallbackRequest, run: CallbackRun): Promise<CallbackResponse> {
    const started = performance.now();
    const span = this.#i.tracer.startSpan('graph-comms callback', this.#serverSpan);
    const plain = target;
    // No SDK records traces (the usual case without one): no context to carry, nothing to count,
    // and no closure per callback; the metrics still go to whatever meter provider there is.
    if (!span.isRecording()) {
      return run(plain, request).then(
        (response) => {
          this.#answered(byStatus(response.status), started);
          return response;
        },
        (error: unknown) => {
          this.#answered({ [ATTR.errorType]: errorType(error) }, started);
          throw error;
        },
      );
    }
    let count = 0;
    const observed: CallbackTarget = {
      ...plain,
      // Counted where the bot applies the body: only then has it been read and parsed.
      process: (body, caller) => {
        count = notificationCount(body);
        return plain.process(body, caller);
      },
    };
    const { context, trace } = this.#api;
    return context.with(trace.setSpan(context.active(), span), () => run(observed, request)).then(
      (response) => {
        const outcome = byStatus(response.status);
        if (response.status >= 500) this.#failed(span, `answered ${response.status}`);
        span.setAttributes({ ...outcome, [ATTR.notificationCount]: count });
        span.end();
        this.#answered(outcome, started);
        return response;
      },
      (error: unknown) => {
        const outcome = { [ATTR.errorType]: errorType(error) };
        this.#failed(span, 'the callback could not be handled');
        span.setAttributes({ ...outcome, [ATTR.notificationCount]: count });
        span.end();
        this.#answered(outcome, started);
        throw error;
      },
    );
  }

  #answered(outcome: Attributes, started: number): void {
    this.#i.callbacks.add(1, outcome);
    this.#i.callbackDuration.record(seconds(started), outcome);
  }

  notification(kind: RoutedNotification['kind']): void {
    this.#i.notifications.add(1, byKind(kind));
  }

  graphRequest<T extends { status: number }>(action: ActionName, send: () => Promise<T>): Promise<T> {
    const descriptor = ACTIONS[action];
    const started = performance.now();
    const attributes = { [ATTR.action]: action, [ATTR.method]: descriptor.method, [ATTR.template]: pathTemplate(descriptor) };
    return this.#i.tracer.startActiveSpan(`graph-comms ${action}`, { kind: this.#api.SpanKind.CLIENT, attributes }, async (span) => {
      let outcome: Attributes = {};
      try {
        const answer = await send();
        outcome = { [ATTR.status]: answer.status };
        return answer;
      } catch (error) {
        // An answer Graph gave has its status; a request that got none has only its error's kind.
        const status = error instanceof GraphRequestError && error.status > 0 ? error.status : undefined;
        outcome = status ? { [ATTR.status]: status, [ATTR.errorType]: String(status) } : { [ATTR.errorType]: error instanceof GraphRequestError ? error.code : errorType(error) };
        this.#failed(span, status ? `Graph answered ${status}` : 'Graph could not be reached');
        throw error;
      } finally {
        span.setAttributes(outcome);
        span.end();
        this.#i.requestDuration.record(seconds(started), { [ATTR.action]: action, ...outcome });
      }
    });
  }

  operationFinished(kind: OperationEventKind, outcome: string): void {
    this.#i.operations.add(1, byOutcome(`${kind}\n${outcome}`));
  }

  awaiting(count: number): void {
    const change = count - this.#reported;
    if (change === 0) return;
    this.#reported = count;
    this.#i.pending.add(change);
  }

  #failed(span: Span, message: string): void {
    span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message });
  }
}
