/**
 * `SessionManagerHost`: the session manager for services and controllers.
 * @module
 */

import { Injectable } from '@nestjs/common';
import type { SessionManager } from '../../core/index.js';

/** Where each host finds its manager once the module has set up the platform. */
const managerSources = new WeakMap<SessionManagerHost, () => SessionManager | undefined>();

/**
 * Gives the session manager (open sessions by id, list or destroy a user's
 * sessions, clear expired ones) to any provider, as Nest's `HttpAdapterHost`
 * gives the HTTP adapter. Inject it anywhere: the module is global.
 *
 * ```ts
 * @Injectable()
 * export class AccountService {
 *   constructor(private readonly sessions: SessionManagerHost) {}
 *   logOutEverywhere(userId: string) {
 *     return this.sessions.manager.destroyUserSessions(userId);
 *   }
 * }
 * ```
 */
export class SessionManagerHost {
  /**
   * The manager. It exists once the application is initialised (`app.init()`
   * or `app.listen()`; on Fastify, once the instance is ready); reading it
   * before throws a `TypeError` saying so.
   */
  get manager(): SessionManager {
    const manager = managerSources.get(this)?.();
    if (manager === undefined) {
      throw new TypeError(
        'The Tessera session manager is not ready: read SessionManagerHost.manager once the ' +
          'application is initialised (in a request, or after app.init()/app.listen()).',
      );
    }
    return manager;
  }
}
Injectable()(SessionManagerHost);

/** @internal Tells a host where its manager is (the module, when it sets up the platform). */
export function attachSessionManager(
  host: SessionManagerHost,
  source: () => SessionManager | undefined,
): void {
  managerSources.set(host, source);
}
