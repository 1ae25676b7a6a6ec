import type { Session } from '../../core/index.js';
import type { WebSessions } from '../../web/index.js';
import { setEventSession } from './event-session.js';
import type { H3EventV2Like } from './h3-event.js';

/** h3's marker on `HTTPResponse` (what `redirect()`, `noContent()`, `html()` return). */
const kHTTPResponse = Symbol.for('h3.HTTPResponse');
/** h3's "no route matched" value, which becomes a 404 error response. */
const kNotFound = Symbol.for('h3.notFound');

/** h3 v2's `HTTPResponse`: a body with its own status and headers, not a Web `Response`. */
interface HTTPResponseLike {
  readonly status?: number;
  readonly headers: Headers;
}

/**
 * The h3 v2 onion: loads the session, runs the rest of the chain, then saves
 * the session and adds `Set-Cookie` and `Vary: Cookie` to what h3 will send,
 * before h3 turns the handler's value into the response. A store failure
 * answers 503, a save after a concurrent logout 400; nothing is saved for a 5xx.
 */
export async function handleV2(
  sessions: WebSessions,
  event: H3EventV2Like,
  next: () => unknown,
): Promise<unknown> {
  let session: Session;
  try {
    session = await sessions.get(event.req);
  } catch (error) {
    return answerFailure(sessions, error);
  }
  setEventSession(event, session);
  let result: unknown;
  try {
    result = await next();
  } catch (error) {
    // A session error thrown by a handler (a store outage on first use) is Tessera's to answer.
    const failure = sessions.failureResponse(error);
    if (failure) return failure;
    const saved = await commitOrFail(sessions, session, errorHeaders(event), statusOfError(error));
    if (saved) return saved;
    throw error;
  }
  try {
    if (result instanceof Response) return await sessions.commit(session, result);
    if (isHTTPResponse(result)) {
      await sessions.commit(session, result.headers, { status: result.status ?? 200 });
      return result;
    }
    if (result === kNotFound) {
      await sessions.commit(session, errorHeaders(event), { status: 404 });
      return result;
    }
    await sessions.commit(session, event.res.headers, { status: event.res.status ?? 200 });
    return result;
  } catch (error) {
    return answerFailure(sessions, error);
  }
}

/** Saves for an error response; answers the failure response when the save fails. */
async function commitOrFail(
  sessions: WebSessions,
  session: Session,
  headers: Headers,
  status: number,
): Promise<Response | undefined> {
  try {
    await sessions.commit(session, headers, { status });
    return undefined;
  } catch (error) {
    return answerFailure(sessions, error);
  }
}

function answerFailure(sessions: WebSessions, error: unknown): Response {
  const failure = sessions.failureResponse(error);
  if (failure) return failure;
  throw error;
}

/** Where h3 takes the headers of an error response from (h3 ≥ 2.0 `errHeaders`). */
function errorHeaders(event: H3EventV2Like): Headers {
  return event.res.errHeaders ?? event.res.headers;
}

/** The status h3 will answer a thrown value with: an `HTTPError`'s, else 500. */
function statusOfError(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 100 && status <= 599 ? status : 500;
}

function isHTTPResponse(value: unknown): value is HTTPResponseLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[kHTTPResponse] === true
  );
}
