/**
 * Tessera for plain `node:http` handlers.
 *
 * ```ts
 * const withSession = createSessionHandler({ store: createSqliteStore() });
 * http.createServer(withSession(async (req, res, session) => {
 *   session.set('visits', session.get('visits', 0) + 1);
 *   res.end(`visits: ${session.get('visits')}`);
 * })).listen(3000);
 * ```
 * @module tessera-session/node
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  isSessionError,
  type Session,
  type SessionData,
  type SessionManager,
  type SessionOptions,
} from '../../core/index.js';
import { checkSessionOptionKeys, createSessionKit, isPromiseLike } from '../../kit/index.js';
import { createNodeSessionManager } from './create-node-manager.js';
import { openRequestSession } from './session-request.js';

export { createNodeSessionManager } from './create-node-manager.js';
export { checkCsrfRequest, sendCsrfFailure } from './csrf.js';
export { digestSessionIdNode } from './digest.js';
export { checkFetchMetadataRequest, sendFetchMetadataFailure } from './fetch-metadata.js';
export { isSecureRequest } from './is-secure-request.js';
export { type HoldOptions, openRequestSession } from './session-request.js';

/** A `node:http` handler that also receives the session. */
export type SessionHandler<Data extends SessionData> = (
  req: IncomingMessage,
  res: ServerResponse,
  session: Session<Data>,
) => unknown;

/** Wraps handlers; carries the manager for use outside requests. */
export interface SessionHandlerWrapper {
  <Data extends SessionData = SessionData>(
    handler: SessionHandler<Data>,
  ): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** The session manager (open sessions by id, clear expired ones). */
  readonly manager: SessionManager;
  /** Closes the store. */
  close(): Promise<void>;
}

/**
 * Creates a wrapper that gives each `node:http` handler the request's session
 * and saves it before the response goes out. Store failures answer 503, a save
 * after a concurrent logout answers 400, a handler that throws answers 500
 * (and nothing is saved, as Django does on 5xx).
 */
export function createSessionHandler(options: SessionOptions = {}): SessionHandlerWrapper {
  checkSessionOptionKeys(options, 'createSessionHandler()');
  const manager = createNodeSessionManager(options);
  const kit = createSessionKit(manager);
  const wrap = <Data extends SessionData>(handler: SessionHandler<Data>) =>
    async function handleWithSession(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const opened = openRequestSession<Data>(manager, req, res);
      const session = isPromiseLike(opened) ? await opened : opened;
      if (!session) return;
      try {
        await handler(req, res, session);
      } catch (error) {
        kit.report(error, 'handler');
        // A session that could not be loaded (storeOutage: 'throw-on-use') answers 503, like a failed load.
        const failure = isSessionError(error) ? kit.describeFailure(error) : undefined;
        if (!res.headersSent) {
          res.statusCode = failure?.status ?? 500;
          res.setHeader('Content-Type', 'text/plain; charset=utf-8');
          if (failure?.headers['Retry-After'])
            res.setHeader('Retry-After', failure.headers['Retry-After']);
        }
        if (!res.writableEnded) res.end(failure?.body ?? 'Internal Server Error\n');
      }
    };
  return Object.assign(wrap, { manager, close: () => manager.close() });
}
