/**
 * The session admin: pages for operators to see the sessions of a store
 * (counts, charts, the users with the most sessions, one session's record)
 * and revoke one session or all sessions of a user. A Web-standard fetch
 * handler, mountable in any app; `npx tessera-session admin` serves it on
 * its own. No `node:` import. See `docs/admin.md`.
 *
 * ```ts
 * import { createAdminHandler } from 'tessera-session/admin';
 * import { createSessionManager } from 'tessera-session';
 * import { createRedisStore } from 'tessera-session/stores/redis';
 *
 * const manager = createSessionManager({ store: createRedisStore({ url: 'redis://127.0.0.1:6379' }) });
 * export const admin = createAdminHandler({
 *   manager,
 *   basePath: '/admin/sessions',
 *   authorize: async (request) => request.headers.get('x-operator') === 'yes', // your own check
 * });
 * ```
 * @module tessera-session/admin
 */

export { type AdminHandler, createAdminHandler } from './create-admin-handler.js';
export { ADMIN_CSRF_FIELD } from './csrf.js';
export { ADMIN_CONTENT_SECURITY_POLICY } from './html.js';
export {
  createNodeListener,
  DEFAULT_NODE_LISTENER_OPTIONS,
  type NodeListener,
  type NodeListenerOptions,
  type NodeRequestLike,
  type NodeResponseLike,
} from './node-listener.js';
export {
  ADMIN_STORE_METHODS,
  type AdminAuthorize,
  type AdminHandlerOptions,
  type AdminStore,
  DEFAULT_ADMIN_OPTIONS,
} from './options.js';
