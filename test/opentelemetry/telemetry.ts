/**
 * The real OpenTelemetry SDK, in memory, for the specifications of
 * `tessera-session/opentelemetry`: a tracer provider exporting every ended
 * span to an InMemorySpanExporter, a meter provider read on demand, and the
 * SDK's AsyncLocalStorage context manager, so that a request's span is the
 * active one inside `inRequestSpan()` as in an instrumented server.
 *
 * @module
 */
import { context, type Span, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  DataPointType,
  type Histogram,
  MeterProvider,
  type MetricData,
  MetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { instrumentSessions, type SessionInstrumentation } from '../../src/opentelemetry/index.js';

/** A reader whose `collect()` the test calls: no timer, no exporter. */
class CollectingMetricReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

let contextManagerSet = false;

/** The SDK's context manager as the global one, once per test file (each runs in its own process). */
export function useAsyncContext(): void {
  if (contextManagerSet) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerSet = true;
}

/** Attributes that must all be on a data point for it to count; others may be there too. */
export type AttributeMatch = Readonly<Record<string, string | number | boolean>>;

export interface Telemetry {
  readonly tracerProvider: BasicTracerProvider;
  readonly meterProvider: MeterProvider;
  /** The instrumentation of this telemetry, made by {@link startTelemetry}. */
  readonly instrumentation: SessionInstrumentation;
  /** The spans ended so far. */
  spans(): ReadableSpan[];
  /** The ended spans of one name. */
  spansNamed(name: string): ReadableSpan[];
  /** Every metric as the reader collects it now. */
  collect(): Promise<MetricData[]>;
  /** The instrumentation scopes (meters) of the metrics collected now. */
  meterScopes(): Promise<{ name: string; version?: string | undefined }[]>;
  /** The sum of a counter's data points with `match` among their attributes (0 when none). */
  counted(name: string, match?: AttributeMatch): Promise<number>;
  /** The data points of a histogram with `match` among their attributes. */
  histogram(name: string, match?: AttributeMatch): Promise<Histogram[]>;
  /** Runs `run` inside a span of its own (a request's), answering that span and what `run` answered. */
  inRequestSpan<T>(run: () => Promise<T>): Promise<{ span: Span; result: T }>;
  /** Disables the instrumentation and shuts the providers down. */
  close(): Promise<void>;
}

/** Fresh providers and `instrumentSessions()` on them (plus `options`). */
export function startTelemetry(options: { spans?: boolean; metrics?: boolean } = {}): Telemetry {
  useAsyncContext();
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const reader = new CollectingMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const instrumentation = instrumentSessions({ tracerProvider, meterProvider, ...options });
  const matches = (attributes: Record<string, unknown>, match: AttributeMatch) =>
    Object.entries(match).every(([name, value]) => attributes[name] === value);
  const collect = async () => {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw errors[0];
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  };
  return {
    tracerProvider,
    meterProvider,
    instrumentation,
    spans: () => exporter.getFinishedSpans(),
    spansNamed: (name) => exporter.getFinishedSpans().filter((span) => span.name === name),
    collect,
    async meterScopes() {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics.map((scopeMetrics) => scopeMetrics.scope);
    },
    async counted(name, match = {}) {
      const metric = (await collect()).find((m) => m.descriptor.name === name);
      if (metric === undefined) return 0;
      if (metric.dataPointType !== DataPointType.SUM) throw new Error(`${name} is not a counter`);
      return metric.dataPoints
        .filter((point) => matches(point.attributes, match))
        .reduce((total, point) => total + point.value, 0);
    },
    async histogram(name, match = {}) {
      const metric = (await collect()).find((m) => m.descriptor.name === name);
      if (metric === undefined) return [];
      if (metric.dataPointType !== DataPointType.HISTOGRAM) {
        throw new Error(`${name} is not a histogram`);
      }
      return metric.dataPoints
        .filter((point) => matches(point.attributes, match))
        .map((point) => point.value);
    },
    async inRequestSpan(run) {
      const tracer = tracerProvider.getTracer('test-server');
      const span = tracer.startSpan('GET /');
      try {
        const result = await context.with(trace.setSpan(context.active(), span), run);
        return { span, result };
      } finally {
        span.end();
      }
    },
    async close() {
      instrumentation.disable();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** The span's parent's span id, or `undefined` for a root span. */
export function parentIdOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}

/** Every attribute name and value of the spans and their events, as one string to search. */
export function everythingRecorded(
  spans: readonly ReadableSpan[],
  metrics: readonly MetricData[],
): string {
  return JSON.stringify({
    spans: spans.map((span) => ({
      name: span.name,
      attributes: span.attributes,
      status: span.status,
      events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
    })),
    metrics: metrics.map((metric) => ({
      name: metric.descriptor.name,
      points: metric.dataPoints.map((point) => point.attributes),
    })),
  });
}
