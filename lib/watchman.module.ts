import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { WatchmanTokenGuard } from './auth/token.guard.js';
import { WatchmanCheckExplorer } from './checks/check.explorer.js';
import { WatchmanCheckRegistry } from './checks/check.registry.js';
import { CachesCheck } from './checks/caches.check.js';
import { DatabasesCheck } from './checks/databases.check.js';
import { EmailCheck } from './checks/email.check.js';
import { StorageCheck } from './checks/storage.check.js';
import { WatchmanApmService } from './apm/apm.service.js';
import { fastifyTrailingSlashFor } from './http/fastify-trailing-slash.js';
import { createWatchmanController } from './http/watchman.controller.js';
import { WatchmanHttpService } from './http/watchman-http.service.js';
import { WatchmanHistory } from './runner/check.history.js';
import { WatchmanRunner } from './runner/check.runner.js';
import { WATCHMAN_CONFIG } from './watchman.constants.js';
import { watchmanConfigProvider } from './watchman-config.provider.js';
import {
  WATCHMAN_ASYNC_OPTIONS_TYPE,
  WATCHMAN_OPTIONS_TYPE,
  WatchmanConfigurableModule,
} from './watchman.module-definition.js';
import type { WatchmanModuleExtras } from './watchman-options.interface.js';

/**
 * Health checks for the app's backing services, as django-watchman gives Django.
 *
 * @example
 * @Module({ imports: [WatchmanModule.forRoot({ tokens: ['s3cret'] })] })
 * export class AppModule {}
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    watchmanConfigProvider,
    WatchmanCheckRegistry,
    WatchmanCheckExplorer,
    WatchmanHistory,
    WatchmanRunner,
    WatchmanHttpService,
    WatchmanTokenGuard,
    WatchmanApmService,
    DatabasesCheck,
    CachesCheck,
    StorageCheck,
    EmailCheck,
  ],
  exports: [WATCHMAN_CONFIG, WatchmanRunner, WatchmanCheckRegistry, WatchmanHistory, WatchmanTokenGuard],
})
export class WatchmanModule extends WatchmanConfigurableModule {
  /** Registers watchman with options given in code (each falling back to its environment variable). */
  static forRoot(options: typeof WATCHMAN_OPTIONS_TYPE = {}): DynamicModule {
    return withRoutes(super.forRoot(options), options);
  }

  /** Registers watchman with options from a factory (`useFactory` + `inject`, `useClass`, `useExisting`). */
  static forRootAsync(options: typeof WATCHMAN_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withRoutes(super.forRootAsync(options), options);
  }
}

// The controller is built per registration (never a shared class mutated in place).
function withRoutes(definition: DynamicModule, extras: WatchmanModuleExtras): DynamicModule {
  const path = (extras.path ?? process.env.WATCHMAN_PATH ?? 'watchman').replace(/^\/+|\/+$/g, '');
  return {
    ...definition,
    global: extras.isGlobal ?? false,
    controllers: [createWatchmanController(path, extras.authGuard ?? WatchmanTokenGuard)],
    providers: [...(definition.providers ?? []), fastifyTrailingSlashFor(path)],
  };
}
