/**
 * The store types at compile time (tsc checks this file; the test itself only
 * runs the assertions vitest's expectTypeOf makes at run time, which are none).
 */
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AsyncSessionStore,
  AsyncSessionStoreWith,
  OptionalSessionStoreMethod,
  SessionStore,
} from '../../src/core/store.js';
import type { CachedStore } from '../../src/stores/cached/index.js';
import type { FileStore } from '../../src/stores/file/index.js';
import type { MysqlStore } from '../../src/stores/mysql/index.js';
import type { PostgresStore } from '../../src/stores/postgres/index.js';
import type { RedisStore } from '../../src/stores/redis/index.js';

/** The keys of `T` whose method does not answer a promise. */
type NotPromised<T> = {
  [K in keyof T]-?: NonNullable<T[K]> extends (...args: never[]) => infer Answer
    ? Answer extends Promise<unknown>
      ? never
      : K
    : never;
}[keyof T];

describe('store types', () => {
  it('AsyncSessionStore: every method of SessionStore, each answering a promise', () => {
    // A method added to SessionStore but not to AsyncSessionStore would still answer Awaitable.
    expectTypeOf<NotPromised<AsyncSessionStore>>().toEqualTypeOf<never>();
    expectTypeOf<keyof AsyncSessionStore>().toEqualTypeOf<keyof SessionStore>();
    expectTypeOf<AsyncSessionStore>().toExtend<SessionStore>();
  });

  it('names the optional methods', () => {
    expectTypeOf<OptionalSessionStoreMethod>().toEqualTypeOf<
      | 'listUserSessions'
      | 'destroyUserSessions'
      | 'listSessions'
      | 'stats'
      | 'pageSessions'
      | 'countSessions'
      | 'describeSessions'
      | 'ready'
      | 'migrate'
      | 'close'
    >();
  });

  it('AsyncSessionStoreWith makes the methods it names required', () => {
    expectTypeOf<AsyncSessionStoreWith<'close'>['close']>().toEqualTypeOf<() => Promise<void>>();
    expectTypeOf<AsyncSessionStoreWith<'close'>['stats']>().toEqualTypeOf<
      AsyncSessionStore['stats']
    >();
  });

  it('the network and disk stores answer promises from every method', () => {
    expectTypeOf<NotPromised<RedisStore>>().toEqualTypeOf<never>();
    expectTypeOf<NotPromised<PostgresStore>>().toEqualTypeOf<never>();
    expectTypeOf<NotPromised<MysqlStore>>().toEqualTypeOf<never>();
    expectTypeOf<NotPromised<FileStore>>().toEqualTypeOf<never>();
    expectTypeOf<NotPromised<CachedStore>>().toEqualTypeOf<never>();
    expectTypeOf<RedisStore['listUserSessions']>().not.toEqualTypeOf<undefined>();
    expectTypeOf<PostgresStore['migrate']>().toExtend<() => Promise<{ table: string }>>();
  });
});
