import { metrics, trace, type Attributes, type AttributeValue } from '@opentelemetry/api';
import { MeterProvider, MetricReader, type DataPoint, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

/** A reader that exports only when asked: `collect()` gives what the instruments hold now. */
class ManualReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** The OpenTelemetry SDK as an application registers it, keeping what it records in memory. */
export interface RecordingSdk {
  /** Every metric the bots' meter holds now, by name. */
  metrics(): Promise<Map<string, MetricData>>;
  /** The data points of one metric (none when it was never recorded). */
  points(name: string): Promise<Array<DataPoint<unknown>>>;
  /** The spans ended so far. */
  spans(): ReadableSpan[];
  /** Unregisters the providers. */
  stop(): Promise<void>;
}

/** Registers a MeterProvider and a BasicTracerProvider as the process-wide ones. */
export function registerSdk(): RecordingSdk {
  const reader = new ManualReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  // Each test gets providers of its own: the globals are set once unless disabled first.
  metrics.disable();
  trace.disable();
  if (!metrics.setGlobalMeterProvider(meterProvider) || !trace.setGlobalTracerProvider(tracerProvider)) throw new Error('the SDK could not be registered');
  const all = async () => {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw new Error(`collecting metrics failed: ${String(errors[0])}`);
    return new Map(resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).map((m) => [m.descriptor.name, m] as const));
  };
  return {
    metrics: all,
    points: async (name) => ((await all()).get(name)?.dataPoints ?? []) as Array<DataPoint<unknown>>,
    spans: () => exporter.getFinishedSpans(),
    stop: async () => {
      await meterProvider.shutdown();
      await tracerProvider.shutdown();
      metrics.disable();
      trace.disable();
    },
  };
}

/** Each data point as its attributes and value, for comparing without caring about order. */
export const byAttributes = <V>(points: Array<DataPoint<unknown>>): Array<{ attributes: Attributes; value: V }> =>
  points.map((p) => ({ attributes: p.attributes, value: p.value as V })).sort((a, b) => JSON.stringify(a.attributes).localeCompare(JSON.stringify(b.attributes)));

/** Every attribute value recorded anywhere: on data points and on spans. */
export async function everyAttribute(sdk: RecordingSdk): Promise<Array<[string, AttributeValue | undefined]>> {
  const found: Array<[string, AttributeValue | undefined]> = [];
  for (const metric of (await sdk.metrics()).values()) for (const point of metric.dataPoints) found.push(...Object.entries(point.attributes));
  for (const span of sdk.spans()) found.push(...Object.entries(span.attributes));
  return found;
}
