import { Logger, type Provider } from '@nestjs/common';
import { WATCHMAN_CONFIG, WATCHMAN_LOG_CONTEXT } from './watchman.constants.js';
import { WATCHMAN_MODULE_OPTIONS } from './watchman.module-definition.js';
import type { WatchmanModuleOptions } from './watchman-options.interface.js';
import { type EnvReader, resolveWatchmanConfig } from './watchman.options.js';

type ConfigLike = { get(name: string): unknown };

// @nestjs/config is optional: when installed, its ConfigService is injected if the app has one.
const ConfigService: Function | undefined = await import('@nestjs/config').then(
  (module) => module.ConfigService as Function,
  () => undefined,
);

/** Reads through ConfigService (which also sees .env files), else the process environment. */
export function envReader(config: ConfigLike | undefined): EnvReader {
  if (!config) return (name) => process.env[name];
  return (name) => {
    const value = config.get(name);
    if (value === undefined || value === null) return undefined;
    return Array.isArray(value) ? value.join(',') : String(value);
  };
}

/** The validated configuration every other watchman provider injects. */
export const watchmanConfigProvider: Provider = {
  provide: WATCHMAN_CONFIG,
  inject: [WATCHMAN_MODULE_OPTIONS, ...(ConfigService ? [{ token: ConfigService, optional: true }] : [])],
  useFactory: (options: WatchmanModuleOptions | undefined, config?: ConfigLike) => {
    const logger = new Logger(WATCHMAN_LOG_CONTEXT);
    return resolveWatchmanConfig(options ?? {}, envReader(config), (message) => logger.warn(message));
  },
};
