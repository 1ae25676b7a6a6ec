/**
 * `TesseraSessionModule`: sessions for a Nest application, on Express and on Fastify.
 * @module
 */

import {
  type CanActivate,
  type DynamicModule,
  Inject,
  type MiddlewareConsumer,
  Module,
  type ModuleMetadata,
  type NestModule,
  type OnApplicationShutdown,
  type Provider,
  RequestMethod,
} from '@nestjs/common';
import { APP_GUARD, HttpAdapterHost } from '@nestjs/core';
import { createSessionMiddleware, type SessionMiddleware } from '../../adapters/express/index.js';
import { tesseraSession } from '../../adapters/fastify/index.js';
import { SessionConfigError, type SessionManager } from '../../core/index.js';
import { checkOptionKeys } from '../../kit/index.js';
import { CsrfGuard } from './csrf-guard.js';
import {
  resolveModuleOptions,
  sessionOptionsOf,
  type TesseraSessionModuleOptions,
} from './module-options.js';
import { attachSessionManager, SessionManagerHost } from './session-manager-host.js';

/** The injection token of the module's resolved options. */
export const TESSERA_SESSION_OPTIONS = 'TESSERA_SESSION_OPTIONS';

/**
 * Options of {@link TesseraSessionModule.forRootAsync}: the options come from a
 * factory that may use other providers (a `ConfigService`, a Redis client).
 */
export interface TesseraSessionModuleAsyncOptions {
  /** Modules whose providers the factory needs. */
  imports?: ModuleMetadata['imports'];
  /** The providers handed to `useFactory`, in order. */
  inject?: NonNullable<Extract<Provider, { useFactory: unknown }>['inject']>;
  /** Answers the module's options (a promise is awaited). */
  useFactory: (
    ...args: never[]
  ) => TesseraSessionModuleOptions | Promise<TesseraSessionModuleOptions>;
}

const ASYNC_OPTION_KEYS: readonly string[] = ['imports', 'inject', 'useFactory'];

/** The HTTP adapter as the module uses it: its platform's name, and Fastify's `register`. */
interface PlatformAdapter {
  getType(): string;
  getInstance(): unknown;
  register?(plugin: unknown, options: unknown): unknown;
}

/** A global guard that lets everything through: `csrf: false` under `forRootAsync`. */
const NO_CSRF_CHECK: CanActivate = Object.freeze({ canActivate: () => true });

/**
 * Sessions for a Nest application: import `TesseraSessionModule.forRoot(options)`
 * once, in the root module. On the Express platform it applies Tessera's Express
 * middleware to every route; on Fastify it registers Tessera's Fastify plugin on
 * the Fastify instance (Nest middleware sees only Node's raw request there). The
 * module is global: {@link CsrfGuard} and {@link SessionManagerHost} can be
 * injected anywhere. The store is closed when the application closes.
 *
 * ```ts
 * @Module({
 *   imports: [TesseraSessionModule.forRoot({ store: createSqliteStore({ path: 'sessions.sqlite' }), csrf: true })],
 *   controllers: [AppController],
 * })
 * export class AppModule {}
 * ```
 */
export class TesseraSessionModule implements NestModule, OnApplicationShutdown {
  readonly #adapterHost: HttpAdapterHost;
  readonly #options: Readonly<TesseraSessionModuleOptions>;
  readonly #managerHost: SessionManagerHost;
  #middleware: SessionMiddleware | undefined;

  /** Built by Nest's injector. */
  constructor(
    adapterHost: HttpAdapterHost,
    options: Readonly<TesseraSessionModuleOptions>,
    managerHost: SessionManagerHost,
  ) {
    this.#adapterHost = adapterHost;
    this.#options = options;
    this.#managerHost = managerHost;
  }

  /**
   * The module with these options: the core's `SessionOptions` (`store`,
   * `cookie`, timeouts, `onError`, …; SQLite at `.tessera/sessions.db` when
   * `store` is left out) and `csrf: true` for a global {@link CsrfGuard}.
   * Unknown keys and wrong values throw a `SessionConfigError` here.
   */
  static forRoot(options: TesseraSessionModuleOptions = {}): DynamicModule {
    const resolved = resolveModuleOptions(options, 'TesseraSessionModule.forRoot()');
    const providers: Provider[] = [{ provide: TESSERA_SESSION_OPTIONS, useValue: resolved }];
    if (resolved.csrf === true) providers.push({ provide: APP_GUARD, useClass: CsrfGuard });
    return describeModule(providers, []);
  }

  /**
   * The module with options made by a factory, e.g. from a `ConfigService`:
   *
   * ```ts
   * TesseraSessionModule.forRootAsync({
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({
   *     store: createSqliteStore({ path: config.getOrThrow('SESSION_DB') }),
   *     csrf: true,
   *   }),
   * })
   * ```
   */
  static forRootAsync(options: TesseraSessionModuleAsyncOptions): DynamicModule {
    checkOptionKeys(options, ASYNC_OPTION_KEYS, 'TesseraSessionModule.forRootAsync()');
    const { useFactory, inject = [], imports = [] } = options;
    if (typeof useFactory !== 'function') {
      throw new SessionConfigError(
        'TesseraSessionModule.forRootAsync() needs useFactory: a function answering the module options.',
      );
    }
    const providers: Provider[] = [
      {
        provide: TESSERA_SESSION_OPTIONS,
        inject: [...inject],
        useFactory: async (...args: never[]) =>
          resolveModuleOptions(
            await useFactory(...args),
            'TesseraSessionModule.forRootAsync() useFactory',
          ),
      },
      {
        provide: APP_GUARD,
        inject: [TESSERA_SESSION_OPTIONS],
        useFactory: (resolved: TesseraSessionModuleOptions): CanActivate =>
          resolved.csrf === true ? new CsrfGuard() : NO_CSRF_CHECK,
      },
    ];
    return describeModule(providers, imports);
  }

  /** Puts the session on every request: Express middleware, or Fastify plugin. */
  configure(consumer: MiddlewareConsumer): void {
    const adapter = this.#adapterHost.httpAdapter as PlatformAdapter | undefined;
    if (adapter === undefined) return; // an application context without HTTP
    const sessionOptions = sessionOptionsOf(this.#options);
    const platform = adapter.getType();
    if (platform === 'express') {
      const middleware = createSessionMiddleware(sessionOptions);
      this.#middleware = middleware;
      attachSessionManager(this.#managerHost, () => middleware.manager);
      consumer
        .apply((req: never, res: never, next: (error?: unknown) => void) =>
          middleware(req, res, next),
        )
        .forRoutes({ path: '*', method: RequestMethod.ALL });
    } else if (platform === 'fastify' && typeof adapter.register === 'function') {
      adapter.register(tesseraSession, sessionOptions);
      const instance = adapter.getInstance() as { sessionManager?: SessionManager };
      attachSessionManager(this.#managerHost, () => instance.sessionManager);
    } else {
      throw new SessionConfigError(
        `TesseraSessionModule runs on Nest's Express and Fastify platforms; this application's is "${platform}".`,
      );
    }
  }

  /** Closes the store of the Express middleware (on Fastify, the plugin closes it with the instance). */
  async onApplicationShutdown(): Promise<void> {
    const middleware = this.#middleware;
    this.#middleware = undefined;
    await middleware?.close();
  }
}
Module({})(TesseraSessionModule);
Inject(HttpAdapterHost)(TesseraSessionModule, undefined, 0);
Inject(TESSERA_SESSION_OPTIONS)(TesseraSessionModule, undefined, 1);
Inject(SessionManagerHost)(TesseraSessionModule, undefined, 2);

/** The dynamic module both factories answer: global, exporting the guard and the manager host. */
function describeModule(
  providers: Provider[],
  imports: NonNullable<ModuleMetadata['imports']>,
): DynamicModule {
  return {
    module: TesseraSessionModule,
    global: true,
    imports: [...imports],
    providers: [...providers, CsrfGuard, SessionManagerHost],
    exports: [CsrfGuard, SessionManagerHost, TESSERA_SESSION_OPTIONS],
  };
}
