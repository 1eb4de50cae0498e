import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { WatchmanModuleExtras, WatchmanModuleOptions } from './watchman-options.interface.js';

/**
 * `forRoot(options)` / `forRootAsync({ useFactory, inject, imports })`. What shapes the module
 * itself (route path, guard, global) is an "extra", known synchronously in both forms.
 */
export const {
  ConfigurableModuleClass: WatchmanConfigurableModule,
  MODULE_OPTIONS_TOKEN: WATCHMAN_MODULE_OPTIONS,
  OPTIONS_TYPE: WATCHMAN_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: WATCHMAN_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<WatchmanModuleOptions>({ moduleName: 'Watchman' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createWatchmanOptions')
  .setExtras<WatchmanModuleExtras>({ path: undefined, authGuard: undefined, isGlobal: false }, (definition) => definition)
  .build();
