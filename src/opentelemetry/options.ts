/**
 * The options of {@link instrumentSessions}, their defaults and their check.
 * @module
 */

import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import { checkOptionKeys, optionKeys, SessionConfigError } from '../core/index.js';

/** Options of `instrumentSessions()`. */
export interface InstrumentSessionsOptions {
  /**
   * Where spans go. Left out: the global tracer provider of
   * `@opentelemetry/api` (`trace.getTracerProvider()`), which follows a
   * provider registered later.
   *
   * @defaultValue the global tracer provider
   */
  readonly tracerProvider?: TracerProvider | undefined;
  /**
   * Where metrics go. Left out: the global meter provider of
   * `@opentelemetry/api` (`metrics.getMeterProvider()`), as it is when
   * `instrumentSessions()` is called: register the SDK's first.
   *
   * @defaultValue the global meter provider
   */
  readonly meterProvider?: MeterProvider | undefined;
  /**
   * Whether to record spans of session loads, commits and store operations.
   *
   * @defaultValue `true`
   */
  readonly spans?: boolean | undefined;
  /**
   * Whether to record the session and store metrics.
   *
   * @defaultValue `true`
   */
  readonly metrics?: boolean | undefined;
}

/** {@link InstrumentSessionsOptions} once defaults are filled in (`undefined` providers: the global ones). */
export interface ResolvedInstrumentSessionsOptions {
  /** The tracer provider given, or `undefined` for the global one. */
  readonly tracerProvider: TracerProvider | undefined;
  /** The meter provider given, or `undefined` for the global one. */
  readonly meterProvider: MeterProvider | undefined;
  /** Whether spans are recorded. */
  readonly spans: boolean;
  /** Whether metrics are recorded. */
  readonly metrics: boolean;
}

/** Defaults of {@link InstrumentSessionsOptions}: spans and metrics, to the global providers. */
export const DEFAULT_INSTRUMENT_SESSIONS_OPTIONS: ResolvedInstrumentSessionsOptions = Object.freeze(
  {
    tracerProvider: undefined,
    meterProvider: undefined,
    spans: true,
    metrics: true,
  },
);

const FACTORY = 'instrumentSessions()';
const OPTION_KEYS = optionKeys<InstrumentSessionsOptions>()(
  DEFAULT_INSTRUMENT_SESSIONS_OPTIONS,
  [],
);

/** Merges `options` over the defaults (without changing `options`) and checks the result. */
export function resolveInstrumentSessionsOptions(
  options: InstrumentSessionsOptions,
): ResolvedInstrumentSessionsOptions {
  checkOptionKeys(options, OPTION_KEYS, FACTORY);
  const defaults = DEFAULT_INSTRUMENT_SESSIONS_OPTIONS;
  const resolved: ResolvedInstrumentSessionsOptions = {
    tracerProvider: options.tracerProvider ?? defaults.tracerProvider,
    meterProvider: options.meterProvider ?? defaults.meterProvider,
    spans: options.spans ?? defaults.spans,
    metrics: options.metrics ?? defaults.metrics,
  };
  for (const [name, method] of [
    ['tracerProvider', 'getTracer'],
    ['meterProvider', 'getMeter'],
  ] as const) {
    const provider: unknown = resolved[name];
    if (
      provider !== undefined &&
      typeof (provider as Record<string, unknown> | null)?.[method] !== 'function'
    ) {
      fail(
        name,
        `an OpenTelemetry ${name === 'tracerProvider' ? 'TracerProvider' : 'MeterProvider'} (an object with ${method}())`,
        describeValue(provider),
        'Pass the SDK provider, or leave it out for the global one.',
      );
    }
  }
  for (const name of ['spans', 'metrics'] as const) {
    if (typeof resolved[name] !== 'boolean') {
      fail(name, 'true or false', describeValue(resolved[name]), 'Leave it out for true.');
    }
  }
  if (!resolved.spans && !resolved.metrics) {
    throw new SessionConfigError(
      `${FACTORY}: options "spans" and "metrics" are both false, so nothing would be recorded. ` +
        'Leave one of them out (true), or do not call instrumentSessions().',
    );
  }
  return Object.freeze(resolved);
}

function fail(option: string, expected: string, got: string, fix: string): never {
  throw new SessionConfigError(
    `${FACTORY}: option "${option}" must be ${expected}, got ${got}. ${fix}`,
  );
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return String(value);
}
