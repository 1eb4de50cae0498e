import type { DiscoveryService, ModuleRef } from '@nestjs/core';
import { storageDir } from '../options/watchman-config.js';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { CachesCheck } from './caches.check.js';
import type { ResolvedCheckSettings } from './check-settings.js';
import type { WatchmanCheckInstance } from './check.interface.js';
import { DatabasesCheck } from './databases.check.js';
import { DiskCheck } from './disk.check.js';
import { EmailCheck } from './email.check.js';
import { HttpCheck } from './http.check.js';
import { MemoryCheck } from './memory.check.js';
import { MicroservicesCheck } from './microservices.check.js';
import { QueuesCheck } from './queues.check.js';
import { StorageCheck } from './storage.check.js';
import { TlsCheck } from './tls.check.js';

/** The IETF health format's kinds of component. */
export type ComponentType = 'datastore' | 'system' | 'component';

/** What a built-in may need of the app to find its resources. */
export interface AppRefs {
  discovery: DiscoveryService;
  moduleRef: ModuleRef;
}

/** A built-in check: its name, how it is built from its own settings, whether it runs by default. */
export interface BuiltInCheck {
  name: string;
  paid?: boolean;
  componentType: ComponentType;
  /** Cuts this check's settings from the configuration and builds it. */
  create(config: WatchmanConfig, check: ResolvedCheckSettings, app: AppRefs): WatchmanCheckInstance;
  /** Whether it runs when no `checks` list is given. */
  byDefault(config: WatchmanConfig, instance: WatchmanCheckInstance): boolean;
}

const always = () => true;

/** The catalogue of built-ins; the one place that says which of them run by default. */
export const BUILT_IN_CHECKS: readonly BuiltInCheck[] = [
  {
    name: 'databases',
    componentType: 'datastore',
    create: (config, _check, app) =>
      new DatabasesCheck(
        { names: config.databases, tokens: config.databaseTokens, drizzle: config.drizzle },
        app.discovery,
      ),
    byDefault: always,
  },
  {
    name: 'caches',
    componentType: 'datastore',
    create: (config, _check, app) =>
      new CachesCheck({ names: config.caches, tokens: config.cacheTokens }, app.moduleRef),
    byDefault: always,
  },
  {
    name: 'storage',
    componentType: 'system',
    create: (config) => new StorageCheck({ dir: storageDir(config) }),
    byDefault: always,
  },
  {
    name: 'email',
    paid: true,
    componentType: 'component',
    create: (config, check) => new EmailCheck({ ...config.email, timeout: check.timeout }),
    byDefault: (config) => config.enablePaidChecks,
  },
  {
    name: 'http',
    componentType: 'component',
    create: (config) => new HttpCheck({ targets: config.http }),
    byDefault: (config) => config.http.size > 0,
  },
  {
    name: 'disk',
    componentType: 'system',
    create: (config) => new DiskCheck(config.disk),
    byDefault: (config) => config.disk.path !== undefined,
  },
  {
    name: 'memory',
    componentType: 'system',
    create: (config) => new MemoryCheck(config.memory),
    byDefault: (config) => config.memory.maxHeapUsed !== undefined || config.memory.maxRss !== undefined,
  },
  {
    name: 'tls',
    componentType: 'component',
    create: (config) => new TlsCheck({ targets: config.tls, minDaysLeft: config.minDaysLeft }),
    byDefault: (config) => config.tls.size > 0,
  },
  {
    name: 'microservices',
    componentType: 'component',
    create: (config, check, app) =>
      new MicroservicesCheck({ names: config.microservices, timeout: check.timeout }, app.discovery),
    byDefault: (_config, instance) => (instance as MicroservicesCheck).hasClients(),
  },
  {
    name: 'queues',
    componentType: 'component',
    create: (config, _check, app) => new QueuesCheck(config.queues, app.discovery),
    // Like a discovered check: on by default once the app registered a BullMQ queue.
    byDefault: (_config, instance) => (instance as QueuesCheck).hasQueues(),
  },
];
