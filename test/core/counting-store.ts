import type { SessionStore } from '../../src/core/index.js';

/** Wraps a real store and counts calls per method (a spy, not a mock: the real store does the work). */
export function countCalls(store: SessionStore): {
  store: SessionStore;
  calls: Record<string, number>;
} {
  const calls: Record<string, number> = {};
  const counted = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        calls[property] = (calls[property] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: counted, calls };
}

export function writes(calls: Record<string, number>): number {
  return (calls.create ?? 0) + (calls.update ?? 0) + (calls.touch ?? 0) + (calls.destroy ?? 0);
}
