import type { DynamicModule, INestApplication, LoggerService, ModuleMetadata } from '@nestjs/common';
import { WatchmanModule, WatchmanRunner } from 'nestjs-watchman';
import { type AdapterName, type RunningApp, initApp, startHttpApp } from './http-app.js';
import { tempDir } from './temp-dir.js';

/** An app booted without listening: its providers, its runner, and close(). */
export interface BootedApp {
  app: INestApplication;
  /** The app's WatchmanRunner (throws when the app has no WatchmanModule). */
  readonly runner: WatchmanRunner;
  close(): Promise<void>;
}

/** An app listening on a loopback port (see startHttpApp), with its runner. */
export interface RunningWatchmanApp extends RunningApp {
  readonly runner: WatchmanRunner;
}

/** What forRoot takes: the module options and the extras (path, authGuard, routeDecorators, isGlobal). */
export type WatchmanAppOptions = NonNullable<Parameters<typeof WatchmanModule.forRoot>[0]>;

type Import = NonNullable<ModuleMetadata['imports']>[number];
type Provider = NonNullable<ModuleMetadata['providers']>[number];
type Controller = NonNullable<ModuleMetadata['controllers']>[number];

interface Plan {
  options: WatchmanAppOptions;
  /** The watchman import; undefined means WatchmanModule.forRoot(options), null none at all. */
  watchman: DynamicModule | null | undefined;
  imports: Import[];
  providers: Provider[];
  controllers: Controller[];
  adapter: AdapterName;
  logger: false | LoggerService;
  globalPrefix?: string;
  afterClose: Array<() => unknown>;
}

/**
 * The one way tests boot an app with watchman (after terminus's bootstrapTestingModule):
 *
 *   await using(watchmanApp().options({ checks: ['passing'] }).providers(PassingCheck).adapter('fastify').start(),
 *     async (app) => request(app.url).get('/watchman').expect(200));
 *
 * or, short: `using(watchmanApp({ checks: ['passing'] }, PassingCheck).start('fastify'), …)`.
 *
 * Every step returns a new builder, so a describe can keep a base and vary it per test. By
 * default the app imports `WatchmanModule.forRoot({ mediaRoot: <fresh temp dir>, ...options })`
 * after the other imports, runs on Express, and logs nothing.
 */
export class WatchmanAppBuilder {
  constructor(private readonly plan: Plan) {}

  /** Watchman's module options, merged over those given before (one level deep). */
  options(options: WatchmanAppOptions): WatchmanAppBuilder {
    return this.with({ options: { ...this.plan.options, ...options } });
  }

  /** Modules the app imports before watchman (TypeORM, CacheModule, clients…). */
  imports(...imports: unknown[]): WatchmanAppBuilder {
    return this.with({ imports: [...this.plan.imports, ...(imports as Import[])] });
  }

  providers(...providers: unknown[]): WatchmanAppBuilder {
    return this.with({ providers: [...this.plan.providers, ...(providers as Provider[])] });
  }

  controllers(...controllers: unknown[]): WatchmanAppBuilder {
    return this.with({ controllers: [...this.plan.controllers, ...(controllers as Controller[])] });
  }

  /**
   * Imports this module in place of `forRoot(options)` (forRootAsync, a subclass…); `null`
   * leaves watchman out (the app imports it some other way, e.g. through `imports`).
   */
  watchman(module: DynamicModule | null): WatchmanAppBuilder {
    return this.with({ watchman: module });
  }

  adapter(adapter: AdapterName): WatchmanAppBuilder {
    return this.with({ adapter });
  }

  logger(logger: false | LoggerService): WatchmanAppBuilder {
    return this.with({ logger });
  }

  globalPrefix(globalPrefix: string): WatchmanAppBuilder {
    return this.with({ globalPrefix });
  }

  /** Runs after the app closed (e.g. destroying clients the test made outside Nest). */
  afterClose(cleanup: () => unknown): WatchmanAppBuilder {
    return this.with({ afterClose: [...this.plan.afterClose, cleanup] });
  }

  /** The testing module's metadata; a fresh media root each call. */
  metadata(): ModuleMetadata {
    const { watchman, options, imports, providers, controllers } = this.plan;
    const watchmanImport =
      watchman === undefined ? WatchmanModule.forRoot({ mediaRoot: tempDir(), ...options }) : watchman;
    return { imports: watchmanImport ? [...imports, watchmanImport] : imports, providers, controllers };
  }

  /** Boots and listens on 127.0.0.1 (a random port) on the chosen adapter; `start(a)` is `adapter(a).start()`. */
  async start(adapter: AdapterName = this.plan.adapter): Promise<RunningWatchmanApp> {
    const running = await startHttpApp(this.metadata(), adapter, this.startOptions());
    return withRunner({ app: running.app, url: running.url, close: this.closer(running.close) });
  }

  /** Boots without listening (init only, default platform): for tests that use providers, not HTTP. */
  async boot(): Promise<BootedApp> {
    const app = await initApp(this.metadata(), this.startOptions());
    return withRunner({ app, close: this.closer(() => app.close()) });
  }

  /** Boots and closes again: resolves when start-up succeeds, rejects with its error. */
  async bootAndClose(): Promise<void> {
    const booted = await this.boot();
    await booted.close().catch(() => undefined);
  }

  private startOptions() {
    return { logger: this.plan.logger, globalPrefix: this.plan.globalPrefix };
  }

  private closer(close: () => Promise<void>): () => Promise<void> {
    return async () => {
      try {
        await close();
      } finally {
        for (const cleanup of this.plan.afterClose) await cleanup();
      }
    };
  }

  private with(change: Partial<Plan>): WatchmanAppBuilder {
    return new WatchmanAppBuilder({ ...this.plan, ...change });
  }
}

/**
 * Starts a builder. `watchmanApp({ checks: ['passing'] }, PassingCheck)` is
 * `watchmanApp().options({ checks: ['passing'] }).providers(PassingCheck)`: the short form keeps
 * a test's `using(watchmanApp(…).start(adapter), …)` on one line.
 */
export function watchmanApp(options: WatchmanAppOptions = {}, ...providers: unknown[]): WatchmanAppBuilder {
  return new WatchmanAppBuilder({
    options,
    watchman: undefined,
    imports: [],
    providers: providers as Provider[],
    controllers: [],
    adapter: 'express',
    logger: false,
    afterClose: [],
  });
}

/** Adds a lazy `runner` (an app without watchman still boots, and fails only when asked for it). */
function withRunner<T extends { app: INestApplication }>(handle: T): T & { readonly runner: WatchmanRunner } {
  return Object.defineProperty(handle, 'runner', {
    get: () => handle.app.get(WatchmanRunner),
    enumerable: true,
  }) as T & {
    readonly runner: WatchmanRunner;
  };
}
