import { Logger, type Provider } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  WATCHMAN_CONFIG,
  WATCHMAN_EXTRAS,
  WATCHMAN_LOG_CONTEXT,
  WATCHMAN_MODULE_OPTIONS,
} from '../watchman.constants.js';
import type { WatchmanModuleExtras, WatchmanModuleOptions } from '../watchman-options.interface.js';
import { type EnvReader, resolveWatchmanConfig } from './watchman-config.js';

type ConfigLike = { get(name: string): unknown };

/**
 * The app's ConfigService, if it has @nestjs/config and provides one anywhere. Looked up when
 * the configuration is built (not at import time), so neither import order nor CommonJS
 * loading matters, and an app without @nestjs/config never loads it.
 */
async function appConfigService(moduleRef: ModuleRef): Promise<ConfigLike | undefined> {
  const configModule = await import('@nestjs/config').catch(() => undefined);
  if (!configModule) return undefined;
  try {
    return moduleRef.get(configModule.ConfigService, { strict: false }) as ConfigLike;
  } catch {
    return undefined;
  }
}

/** Reads through ConfigService (which also sees .env files), else the process environment. */
export function envReader(config: ConfigLike | undefined): EnvReader {
  if (!config) return (name) => process.env[name];
  return (name) => {
    const value = config.get(name);
    if (value === undefined || value === null) return process.env[name];
    return Array.isArray(value) ? value.join(',') : String(value);
  };
}

/** The validated configuration every other watchman provider injects. */
export const watchmanConfigProvider: Provider = {
  provide: WATCHMAN_CONFIG,
  inject: [WATCHMAN_MODULE_OPTIONS, WATCHMAN_EXTRAS, ModuleRef],
  useFactory: async (
    options: WatchmanModuleOptions | undefined,
    extras: WatchmanModuleExtras,
    moduleRef: ModuleRef,
  ) => {
    const logger = new Logger(WATCHMAN_LOG_CONTEXT);
    const given = { ...options, path: extras.path ?? options?.path };
    return resolveWatchmanConfig(given, envReader(await appConfigService(moduleRef)), (message) =>
      logger.warn(message),
    );
  },
};
