/**
 * Spans for session loads, commits and store operations. A store operation's
 * span is a CLIENT span following the semantic conventions for database
 * client spans (https://opentelemetry.io/docs/specs/semconv/database/database-spans/);
 * loads and commits are INTERNAL spans of Tessera's own. No span carries a
 * session id, a store key, session data or an error message.
 * @module
 */

import {
  type Attributes,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type {
  CsrfRejectedEvent,
  SessionCommitEvent,
  SessionLoadEvent,
  StoreOperationEvent,
} from '../core/index.js';
import { describeErrorType } from './error-type.js';
import type { OperationScope } from './operation-scope.js';
import type { SessionEventListener } from './session-channels.js';
import { describeStore } from './store-attributes.js';

/** The name of a session load's span. */
export const LOAD_SPAN_NAME = 'tessera.session.load';

/** The name of a session commit's span. */
export const COMMIT_SPAN_NAME = 'tessera.session.commit';

/** The name of the event added to the active span when a CSRF check refuses a request. */
export const CSRF_REJECTED_SPAN_EVENT = 'tessera.csrf.rejected';

/**
 * A listener that starts a span when an operation starts and ends it when it
 * finishes. `scope` tells which load or commit a store operation runs inside,
 * so that its span is that one's child; without one, or outside a load or a
 * commit, spans are children of the active context (the request's span).
 */
export function createSpanListener(tracer: Tracer, scope: OperationScope): SessionEventListener {
  // One span per operation, found again from the same event object on every channel.
  const spans = new WeakMap<object, Span>();

  const startSpan = (
    event: object,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    parent: Context,
  ): void => {
    spans.set(event, tracer.startSpan(name, { kind, attributes }, parent));
  };

  const endSpan = (
    event: object,
    failed: boolean,
    error: unknown,
    attributes: Attributes,
  ): void => {
    const span = spans.get(event);
    if (span === undefined) return; // started before this instrumentation
    spans.delete(event);
    span.setAttributes(attributes);
    if (failed) {
      const type = describeErrorType(error);
      span.setAttribute('error.type', type);
      // The type, not the message: a message may quote a statement, a URL or a key.
      span.setStatus({ code: SpanStatusCode.ERROR, message: type });
    }
    span.end();
  };

  return {
    loadStarted(event: SessionLoadEvent) {
      const { attributes } = describeStore(event.storeName, event.store);
      startSpan(
        event,
        LOAD_SPAN_NAME,
        SpanKind.INTERNAL,
        { 'tessera.store': attributes['tessera.store'] },
        context.active(),
      );
    },
    loadFinished(event: SessionLoadEvent) {
      endSpan(event, event.outcome === 'error', event.error, {
        'tessera.load.outcome': event.outcome ?? 'error',
      });
    },
    commitStarted(event: SessionCommitEvent) {
      const { attributes } = describeStore(event.storeName, event.store);
      startSpan(
        event,
        COMMIT_SPAN_NAME,
        SpanKind.INTERNAL,
        { 'tessera.store': attributes['tessera.store'], 'tessera.commit.plan': event.plan },
        context.active(),
      );
    },
    commitFinished(event: SessionCommitEvent) {
      // An interrupted save is no failure: a concurrent logout won, as it must (docs/stores.md).
      endSpan(event, event.outcome === 'error', event.error, {
        'tessera.commit.outcome': event.outcome ?? 'error',
      });
    },
    storeStarted(event: StoreOperationEvent) {
      const store = describeStore(event.storeName, event.store);
      const owner = scope.currentOperation();
      const ownerSpan = owner === undefined ? undefined : spans.get(owner);
      const parent =
        ownerSpan === undefined ? context.active() : trace.setSpan(context.active(), ownerSpan);
      // Semconv: "{db.operation.name} {target}", the target left out when unknown.
      const name = store.target === '' ? event.operation : `${event.operation} ${store.target}`;
      startSpan(
        event,
        name,
        SpanKind.CLIENT,
        { ...store.attributes, 'db.operation.name': event.operation },
        parent,
      );
    },
    storeFinished(event: StoreOperationEvent) {
      endSpan(event, event.outcome !== 'ok', event.error, {});
    },
    csrfRejected(event: CsrfRejectedEvent) {
      // On the request's span, where the 403 is answered.
      trace.getActiveSpan()?.addEvent(CSRF_REJECTED_SPAN_EVENT, {
        'tessera.csrf.reason': String(event.reason),
      });
    },
  };
}
