/**
 * `instrumentSessions()`: subscribes spans and metrics to the core's
 * diagnostics channels, until `disable()`.
 * @module
 */

import { metrics, trace } from '@opentelemetry/api';
import { type OperationScope, openOperationScope } from './operation-scope.js';
import { type InstrumentSessionsOptions, resolveInstrumentSessionsOptions } from './options.js';
import { readTesseraVersion } from './package-version.js';
import { type SessionEventListener, subscribeSessionChannels } from './session-channels.js';
import { createMetricListener } from './session-metrics.js';
import { createSpanListener } from './session-spans.js';

/** The instrumentation scope's name, of the tracer and of the meter; its version is the package's. */
const SCOPE_NAME = 'tessera-session';

/** What {@link instrumentSessions} answers. */
export interface SessionInstrumentation {
  /**
   * Stops recording: unsubscribes from every channel. Calling it again, or
   * after a later `instrumentSessions()` took over, does nothing. Operations
   * in flight at that moment are not recorded.
   */
  disable(): void;
}

// The instrumentation in force, process-wide: the channels are, and two copies of this
// package (a bundle and node_modules) must not both count the same events.
const ACTIVE = Symbol.for('tessera-session.opentelemetry.active-instrumentation');
type Holder = { [ACTIVE]?: SessionInstrumentation | undefined };

/**
 * Records spans and metrics of every session manager of the process, from the
 * events the core publishes on `node:diagnostics_channel`
 * (`SESSION_DIAGNOSTICS_CHANNELS`), until `disable()`.
 *
 * One instrumentation at a time: calling it again disables the one in force
 * first (whichever copy of tessera-session made it), so nothing is counted
 * twice and a test or a hot reload may instrument again with new providers.
 *
 * ```ts
 * import { instrumentSessions } from 'tessera-session/opentelemetry';
 *
 * // After the SDK is started (NodeSDK#start() registers the global providers):
 * const instrumentation = instrumentSessions();
 * ```
 *
 * @throws SessionConfigError for an unknown option or a value of the wrong type.
 */
export function instrumentSessions(
  options: InstrumentSessionsOptions = {},
): SessionInstrumentation {
  const resolved = resolveInstrumentSessionsOptions(options);
  const version = readTesseraVersion();
  const tracer = resolved.spans
    ? (resolved.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE_NAME, version)
    : undefined;
  const metricListener = resolved.metrics
    ? createMetricListener(
        (resolved.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE_NAME, version),
      )
    : undefined;
  // Only now that nothing can throw any more: the one in force stops before this one starts.
  const holder = globalThis as Holder;
  holder[ACTIVE]?.disable();
  const listeners: SessionEventListener[] = [];
  let scope: OperationScope | undefined;
  if (tracer !== undefined) {
    scope = openOperationScope();
    listeners.push(createSpanListener(tracer, scope));
  }
  if (metricListener !== undefined) listeners.push(metricListener);
  const unsubscribe = subscribeSessionChannels(listeners);
  let enabled = true;
  const instrumentation: SessionInstrumentation = Object.freeze({
    disable() {
      if (!enabled) return;
      enabled = false;
      unsubscribe();
      scope?.close();
      if (holder[ACTIVE] === instrumentation) holder[ACTIVE] = undefined;
    },
  });
  holder[ACTIVE] = instrumentation;
  return instrumentation;
}
