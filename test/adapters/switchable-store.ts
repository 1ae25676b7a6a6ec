import type { SessionStore } from '../../src/core/index.js';

/**
 * A real store behind a switch that simulates an outage: while `down`, every
 * call fails as a dropped connection would. Real-server outages (a stopped
 * Redis or PostgreSQL) are tested with those stores.
 */
export function createSwitchableStore(
  inner: SessionStore,
): SessionStore & { down: boolean; delayMs: number } {
  const state = { down: false, delayMs: 0 };
  const wrap =
    <A extends unknown[], R>(method: (...args: A) => R) =>
    async (...args: A): Promise<Awaited<R>> => {
      if (state.delayMs) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
      if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
      return await method.apply(inner, args);
    };
  return Object.assign(state, {
    name: `switchable(${inner.name})`,
    read: wrap(inner.read),
    create: wrap(inner.create),
    update: wrap(inner.update),
    rotate: wrap(inner.rotate),
    touch: wrap(inner.touch),
    destroy: wrap(inner.destroy),
    clearExpired: wrap(inner.clearExpired),
  });
}
