import {
  createSessionManager,
  type SessionManager,
  type SessionOptions,
} from '../../core/index.js';
import { checkSessionOptionKeys } from '../../kit/index.js';
import { createSqliteStore } from '../../stores/sqlite/index.js';
import { digestSessionIdNode } from './digest.js';

/**
 * A session manager with Node defaults: SQLite at `.tessera/sessions.db` when no
 * store is given (sessions survive a restart with zero setup), node:crypto digests.
 */
export function createNodeSessionManager(options: SessionOptions = {}): SessionManager {
  checkSessionOptionKeys(options, 'createNodeSessionManager()');
  return createSessionManager(options, {
    defaultStore: () => createSqliteStore(),
    digestId: digestSessionIdNode,
  });
}
