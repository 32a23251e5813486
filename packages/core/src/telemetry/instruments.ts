import type { Counter, Histogram, Tracer, UpDownCounter } from '@opentelemetry/api';
import type { OtelApi } from './load-api.js';
import { SCOPE, SECONDS_BUCKETS } from './names.js';

/** The tracer and the instruments of one bot, all under the scope `@graph-comms/core`. */
export interface Instruments {
  tracer: Tracer;
  callbacks: Counter;
  notifications: Counter;
  operations: Counter;
  pending: UpDownCounter;
  callbackDuration: Histogram;
  requestDuration: Histogram;
}

/**
 * Makes them from the providers registered now (the API's no-ops when none is). An SDK gives
 * two bots the same instruments for the same names, so their counts add up.
 */
export function createInstruments(api: OtelApi): Instruments {
  const meter = api.metrics.getMeter(SCOPE);
  const int = { valueType: api.ValueType.INT };
  const timed = { unit: 's', advice: { explicitBucketBoundaries: SECONDS_BUCKETS } };
  return {
    tracer: api.trace.getTracer(SCOPE),
    callbacks: meter.createCounter('graph_comms.callbacks', { ...int, unit: '{callback}', description: 'Callbacks received, by the HTTP status they were answered' }),
    notifications: meter.createCounter('graph_comms.notifications', { ...int, unit: '{notification}', description: 'Notifications received in callbacks, by what they are about' }),
    operations: meter.createCounter('graph_comms.operations', { ...int, unit: '{operation}', description: 'Operations that reached an outcome, by kind and outcome' }),
    pending: meter.createUpDownCounter('graph_comms.operations.pending', { ...int, unit: '{operation}', description: 'Operations this process awaits the outcome of' }),
    callbackDuration: meter.createHistogram('graph_comms.callback.duration', { ...timed, description: 'How long handling a callback took' }),
    requestDuration: meter.createHistogram('graph_comms.graph_request.duration', { ...timed, description: "How long a Graph request took, the Graph client's retries included" }),
  };
}
