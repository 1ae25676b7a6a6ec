/**
 * `instrumentSessions()`: its options (checked at the call, unknown keys
 * named), the global providers by default, `disable()`, and one
 * instrumentation at a time, so that nothing is ever counted twice.
 */

import { channel, tracingChannel } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { metrics, type Tracer, type TracerProvider, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { SESSION_DIAGNOSTICS_CHANNELS, SessionConfigError } from '../../src/core/index.js';
import {
  DEFAULT_INSTRUMENT_SESSIONS_OPTIONS,
  instrumentSessions,
  LOAD_SPAN_NAME,
  SESSION_METRIC_NAMES as METRIC,
} from '../../src/opentelemetry/index.js';
import { createTestManager, request } from '../core/harness.js';
import { startTelemetry, type Telemetry } from './telemetry.js';

const opened: Telemetry[] = [];

/** Fresh providers, instrumented; closed after the test. */
function telemetry(options: { spans?: boolean; metrics?: boolean } = {}): Telemetry {
  const started = startTelemetry(options);
  opened.push(started);
  return started;
}

afterEach(async () => {
  for (const started of opened.splice(0)) await started.close();
  trace.disable();
  metrics.disable();
});

/** One visit that creates a session and one that reads it back. */
async function visitTwice(): Promise<void> {
  const manager = createTestManager();
  const first = await request(manager, undefined, (session) => session.set('n', 1));
  await request(manager, first.cookie, (session) => session.get('n'));
}

describe('instrumentSessions() options', () => {
  it('has frozen defaults: spans and metrics to the global providers', () => {
    expect(DEFAULT_INSTRUMENT_SESSIONS_OPTIONS).toEqual({
      tracerProvider: undefined,
      meterProvider: undefined,
      spans: true,
      metrics: true,
    });
    expect(Object.isFrozen(DEFAULT_INSTRUMENT_SESSIONS_OPTIONS)).toBe(true);
  });

  it('rejects an unknown option, naming it and the option it is a typo of', () => {
    expect(() => instrumentSessions({ span: true } as never)).toThrow(SessionConfigError);
    expect(() => instrumentSessions({ span: true } as never)).toThrow(
      /instrumentSessions\(\): unknown option "span"; did you mean spans\?/,
    );
  });

  it.each([
    ['tracerProvider', {}, /option "tracerProvider" must be an OpenTelemetry TracerProvider/],
    ['meterProvider', 'global', /option "meterProvider" must be an OpenTelemetry MeterProvider/],
    ['spans', 'yes', /option "spans" must be true or false, got "yes"/],
    ['metrics', 1, /option "metrics" must be true or false, got 1/],
  ])('rejects option %s of the wrong type, naming it', (name, value, message) => {
    expect(() => instrumentSessions({ [name]: value })).toThrow(message);
  });

  it('refuses to record nothing', () => {
    expect(() => instrumentSessions({ spans: false, metrics: false })).toThrow(
      /"spans" and "metrics" are both false/,
    );
  });

  it('does not change the caller’s options', () => {
    const options = Object.freeze({ spans: true });
    instrumentSessions(options).disable();
    expect(options).toEqual({ spans: true });
  });

  it('records spans only, or metrics only, when asked', async () => {
    const spansOnly = telemetry({ metrics: false });
    await visitTwice();
    expect(spansOnly.spansNamed(LOAD_SPAN_NAME)).toHaveLength(1);
    expect(await spansOnly.counted(METRIC.created)).toBe(0);

    const metricsOnly = telemetry({ spans: false });
    await visitTwice();
    expect(metricsOnly.spans()).toEqual([]);
    expect(await metricsOnly.counted(METRIC.created)).toBe(1);
  });
});

describe('the instrumentation scope', () => {
  it('is tessera-session, with the version of its package.json, for spans and metrics', async () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    );
    const recorded = telemetry();
    await visitTwice();

    const scope = { name: 'tessera-session', version };
    expect(recorded.spansNamed(LOAD_SPAN_NAME)[0]?.instrumentationScope).toMatchObject(scope);
    expect(await recorded.meterScopes()).toEqual([expect.objectContaining(scope)]);
  });
});

describe('the global providers', () => {
  it('records to the providers registered globally when none are given', async () => {
    const given = telemetry(); // only for its SDK providers
    given.instrumentation.disable();
    trace.setGlobalTracerProvider(given.tracerProvider);
    metrics.setGlobalMeterProvider(given.meterProvider);

    const instrumentation = instrumentSessions();
    await visitTwice();
    instrumentation.disable();

    expect(given.spansNamed(LOAD_SPAN_NAME)).toHaveLength(1);
    expect(await given.counted(METRIC.created)).toBe(1);
  });
});

describe('disable() and instrumenting again', () => {
  it('stops recording at disable(), and a second disable() does nothing', async () => {
    const recorded = telemetry();
    recorded.instrumentation.disable();
    recorded.instrumentation.disable();

    await visitTwice();

    expect(recorded.spans()).toEqual([]);
    expect(await recorded.counted(METRIC.created)).toBe(0);
  });

  it('never counts twice: instrumenting again replaces the instrumentation in force', async () => {
    const first = telemetry();
    const second = telemetry();

    await visitTwice();

    expect(await first.counted(METRIC.created)).toBe(0);
    expect(first.spans()).toEqual([]);
    expect(await second.counted(METRIC.created)).toBe(1);
    expect(second.spansNamed(LOAD_SPAN_NAME)).toHaveLength(1);
  });

  it('leaves the newer instrumentation alone when the older one is disabled late', async () => {
    const first = telemetry();
    const second = telemetry();
    first.instrumentation.disable();

    await visitTwice();

    expect(await second.counted(METRIC.created)).toBe(1);
  });
});

describe('what instrumenting leaves behind', () => {
  it('leaves every channel without subscribers after disable(), so the core skips its events again', () => {
    const names = SESSION_DIAGNOSTICS_CHANNELS;
    const traced = [names.load, names.commit, names.store].map((name) => tracingChannel(name));
    const instrumentation = instrumentSessions();
    expect(traced.every((channel) => channel.hasSubscribers)).toBe(true);
    expect(channel(names.csrfRejected).hasSubscribers).toBe(true);

    instrumentation.disable();

    for (const traceable of traced) {
      expect(traceable.hasSubscribers).toBe(false);
      expect(traceable.start.hasSubscribers).toBe(false); // no store bound either
    }
    expect(channel(names.csrfRejected).hasSubscribers).toBe(false);
  });

  it('never breaks a request when the tracer throws', async () => {
    const failing: Tracer = {
      startSpan() {
        throw new Error('exporter misconfigured');
      },
      startActiveSpan() {
        throw new Error('exporter misconfigured');
      },
    };
    const tracerProvider: TracerProvider = { getTracer: () => failing };
    const instrumentation = instrumentSessions({ tracerProvider, metrics: false });
    try {
      const manager = createTestManager();
      const first = await request(manager, undefined, (session) => session.set('n', 1));
      const second = await request(manager, first.cookie, (session) => session.get('n'));
      expect(second.result).toBe(1);
    } finally {
      instrumentation.disable();
    }
  });
});
