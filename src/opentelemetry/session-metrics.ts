/**
 * Metrics of sessions and their stores: counters of sessions created,
 * destroyed and rotated, of commits by plan and outcome, of store errors,
 * interrupted saves and CSRF rejections, and the semantic conventions'
 * `db.client.operation.duration` histogram
 * (https://opentelemetry.io/docs/specs/semconv/database/database-metrics/).
 * @module
 */

import type { Attributes, Meter } from '@opentelemetry/api';
import type { CsrfRejectedEvent, SessionCommitEvent, StoreOperationEvent } from '../core/index.js';
import { describeErrorType } from './error-type.js';
import type { SessionEventListener } from './session-channels.js';
import { describeStore } from './store-attributes.js';

/** The names of the metrics `instrumentSessions()` records (with `metrics: true`, the default). */
export const SESSION_METRIC_NAMES = Object.freeze({
  /** Counter: sessions whose first save succeeded (commit plan `create`). */
  created: 'tessera.sessions.created',
  /** Counter: sessions destroyed by a save (commit plan `destroy`: `flush()`, logout, emptied). */
  destroyed: 'tessera.sessions.destroyed',
  /** Counter: sessions moved to a new id (commit plan `rotate`: `login()`, `cycleKey()`). */
  rotated: 'tessera.sessions.rotated',
  /** Counter: commits, by `tessera.commit.plan` and `tessera.commit.outcome`. */
  commits: 'tessera.session.commits',
  /** Counter: saves dropped because a concurrent logout won (`SessionInterruptedError`). */
  interrupted: 'tessera.session.interrupted',
  /** Counter: store operations that failed, by `db.operation.name` and `error.type`. */
  storeErrors: 'tessera.store.errors',
  /** Counter: requests a CSRF check refused, by `tessera.csrf.reason`. */
  csrfRejections: 'tessera.csrf.rejections',
  /** Histogram, seconds: the duration of each store operation. */
  storeDuration: 'db.client.operation.duration',
});

/**
 * The bucket boundaries of `db.client.operation.duration`, in seconds, as the
 * semantic conventions advise for it.
 */
export const DB_CLIENT_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10,
]);

const PLAN_COUNTERS = Object.freeze({
  create: 'created',
  destroy: 'destroyed',
  rotate: 'rotated',
} as const);

/** A listener recording the metrics of {@link SESSION_METRIC_NAMES} on `meter`. */
export function createMetricListener(meter: Meter): SessionEventListener {
  const names = SESSION_METRIC_NAMES;
  const sessions = {
    created: meter.createCounter(names.created, {
      description: 'Sessions created: first saves that succeeded.',
      unit: '{session}',
    }),
    destroyed: meter.createCounter(names.destroyed, {
      description: 'Sessions destroyed by a save (flush, logout, emptied session).',
      unit: '{session}',
    }),
    rotated: meter.createCounter(names.rotated, {
      description: 'Sessions moved to a new id (login, cycleKey).',
      unit: '{session}',
    }),
  };
  const commits = meter.createCounter(names.commits, {
    description: 'Session commits, by plan and outcome.',
    unit: '{commit}',
  });
  const interrupted = meter.createCounter(names.interrupted, {
    description: 'Saves dropped because a concurrent logout or flush won.',
    unit: '{commit}',
  });
  const storeErrors = meter.createCounter(names.storeErrors, {
    description: 'Session store operations that failed.',
    unit: '{error}',
  });
  const csrfRejections = meter.createCounter(names.csrfRejections, {
    description: 'Requests refused by a CSRF check.',
    unit: '{request}',
  });
  const duration = meter.createHistogram(names.storeDuration, {
    description: 'Duration of session store operations.',
    unit: 's',
    advice: { explicitBucketBoundaries: [...DB_CLIENT_DURATION_BUCKETS] },
  });

  return {
    commitFinished(event: SessionCommitEvent) {
      const store = describeStore(event.storeName, event.store).attributes['tessera.store'];
      const outcome = event.outcome ?? 'error';
      commits.add(1, {
        'tessera.store': store,
        'tessera.commit.plan': event.plan,
        'tessera.commit.outcome': outcome,
      });
      if (outcome === 'interrupted') {
        interrupted.add(1, { 'tessera.store': store, 'tessera.commit.plan': event.plan });
      } else if (outcome === 'saved' && Object.hasOwn(PLAN_COUNTERS, event.plan)) {
        sessions[PLAN_COUNTERS[event.plan as keyof typeof PLAN_COUNTERS]].add(1, {
          'tessera.store': store,
        });
      }
    },
    storeFinished(event: StoreOperationEvent) {
      const attributes: Attributes = {
        ...describeStore(event.storeName, event.store).attributes,
        'db.operation.name': event.operation,
      };
      if (event.outcome !== 'ok') {
        attributes['error.type'] = describeErrorType(event.error);
        storeErrors.add(1, attributes);
      }
      if (typeof event.durationMs === 'number' && event.durationMs >= 0) {
        duration.record(event.durationMs / 1000, attributes);
      }
    },
    csrfRejected(event: CsrfRejectedEvent) {
      csrfRejections.add(1, { 'tessera.csrf.reason': String(event.reason) });
    },
  };
}
