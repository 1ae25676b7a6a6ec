import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  isSessionError,
  type Session,
  type SessionData,
  type SessionManager,
} from '../../core/index.js';
import { kState } from '../../core/session.js';
import { isSecureRequest } from './is-secure-request.js';
import { applySessionHeaders, sendSessionError } from './response-headers.js';

type End = ServerResponse['end'];

/**
 * Loads the request's session and holds the response back until the session is
 * saved, so a redirect never overtakes its own write (expressjs/session#360).
 * Answers `undefined` after sending 503 when the store is down.
 */
export async function openRequestSession<Data extends SessionData>(
  manager: SessionManager,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Session<Data> | undefined> {
  let session: Session<Data>;
  try {
    const loaded = manager.load<Data>({
      cookie: req.headers.cookie,
      secure: isSecureRequest(req, manager.options.trustProxy),
    });
    session = loaded instanceof Promise ? await loaded : loaded;
  } catch (error) {
    failRequest(manager, res, error, 'load', res.end);
    return undefined;
  }
  holdResponseUntilSaved(manager, session as unknown as Session, res);
  return session;
}

function holdResponseUntilSaved(
  manager: SessionManager,
  session: Session,
  res: ServerResponse,
): void {
  const end = res.end;
  let saving: Promise<void> | undefined;

  const save = async (status?: number): Promise<void> => {
    const result = await manager.commit(session, status === undefined ? undefined : { status });
    if (!res.headersSent) applySessionHeaders(res, result);
    else if (result.setCookie !== undefined) {
      const message =
        'Response headers were sent before the session was saved; call `await session.save()` before streaming.';
      report(manager, new Error(message), 'commit');
    }
  };
  // `session.save()` inside a handler saves early and still sets the cookie.
  session[kState].save = () => save();

  res.end = function endAfterSave(this: ServerResponse, ...args: unknown[]) {
    if (saving) return this;
    saving = save(res.statusCode).then(
      () => {
        (end as (...a: unknown[]) => ServerResponse).apply(res, args);
      },
      (error: unknown) => failRequest(manager, res, error, 'commit', end),
    );
    return this;
  } as End;
}

function failRequest(
  manager: SessionManager,
  res: ServerResponse,
  error: unknown,
  phase: string,
  end: End,
): void {
  report(manager, error, phase);
  if (res.headersSent) {
    res.destroy(error instanceof Error ? error : undefined);
    return;
  }
  const status = isSessionError(error) ? error.status : 500;
  const message =
    status === 503
      ? 'Session storage is unavailable; please try again shortly.\n'
      : status === 400
        ? `${(error as Error).message}\n`
        : 'Internal Server Error\n';
  sendSessionError(res, status, message);
  (end as (chunk: string) => ServerResponse).call(res, message);
}

function report(manager: SessionManager, error: unknown, phase: string): void {
  try {
    manager.options.onError?.(error, { phase });
  } catch {
    // A failing error hook must not take the response down with it.
  }
}
