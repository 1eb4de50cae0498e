import type { DynamicModule, Provider } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { WatchmanNotFoundRoute } from './http/not-found.route.js';
import { WatchmanRequestGate } from './http/request-gate.js';
import { createWatchmanController } from './http/watchman.controller.js';
import type { WatchmanConfig } from './options/watchman-config.js';
import { WATCHMAN_CONFIG, WATCHMAN_EXTRAS } from './watchman.constants.js';
import type { WatchmanModuleExtras } from './watchman-options.interface.js';

/**
 * One registration's own parts: its controller (built here, never shared), its extras, and a
 * provider that gives the controller its path once the configuration is resolved. The path
 * may come from the environment (ConfigService, `.env`), so it is read with every other
 * option, whatever the order of the app's imports; Nest reads a controller's path only when
 * it registers the routes, after every provider exists.
 */
export function withRegistration(definition: DynamicModule, extras: WatchmanModuleExtras): DynamicModule {
  const controller = createWatchmanController(extras.routeDecorators);
  const routePath: Provider = {
    provide: Symbol('watchman:route-path'),
    inject: [WATCHMAN_CONFIG],
    useFactory: (config: WatchmanConfig) => {
      Reflect.defineMetadata(PATH_METADATA, config.path || '/', controller);
      return config.path;
    },
  };
  return {
    ...definition,
    global: extras.isGlobal ?? false,
    controllers: [controller],
    providers: [
      ...(definition.providers ?? []),
      { provide: WATCHMAN_EXTRAS, useValue: extras },
      routePath,
      WatchmanRequestGate,
      WatchmanNotFoundRoute,
    ],
  };
}
