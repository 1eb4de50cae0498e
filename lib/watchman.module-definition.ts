import { ConfigurableModuleBuilder } from '@nestjs/common';
import { WATCHMAN_MODULE_OPTIONS } from './watchman.constants.js';
import type { WatchmanModuleExtras, WatchmanModuleOptions } from './watchman-options.interface.js';
import { withRegistration } from './watchman.registration.js';

/**
 * `forRoot(options)` / `forRootAsync({ useFactory, inject, imports })`. What shapes the module
 * itself (path, guard, route decorators, global) is an extra, known synchronously in both
 * forms; the extras transform adds this registration's own controller and providers.
 */
export const {
  ConfigurableModuleClass: WatchmanConfigurableModule,
  OPTIONS_TYPE: WATCHMAN_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: WATCHMAN_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<WatchmanModuleOptions>({
  moduleName: 'Watchman',
  optionsInjectionToken: WATCHMAN_MODULE_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createWatchmanOptions')
  .setExtras<WatchmanModuleExtras>({ isGlobal: false }, withRegistration)
  .build();
