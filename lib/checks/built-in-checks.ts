import type { Type } from '@nestjs/common';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { CachesCheck } from './caches.check.js';
import { DatabasesCheck } from './databases.check.js';
import { DiskCheck } from './disk.check.js';
import { EmailCheck } from './email.check.js';
import { HttpCheck } from './http.check.js';
import { MemoryCheck } from './memory.check.js';
import { MicroservicesCheck } from './microservices.check.js';
import { StorageCheck } from './storage.check.js';
import { TlsCheck } from './tls.check.js';

/** The IETF health format's kinds of component. */
export type ComponentType = 'datastore' | 'system' | 'component';

/** A built-in check: its name, class, and whether it runs when no `checks` list is given. */
export interface BuiltInCheck {
  name: string;
  type: Type<unknown>;
  paid?: boolean;
  componentType: ComponentType;
  byDefault(config: WatchmanConfig, instance: unknown): boolean;
}

/** The catalogue of built-ins; the one place that says which of them run by default. */
export const BUILT_IN_CHECKS: readonly BuiltInCheck[] = [
  { name: 'databases', type: DatabasesCheck, componentType: 'datastore', byDefault: () => true },
  { name: 'caches', type: CachesCheck, componentType: 'datastore', byDefault: () => true },
  { name: 'storage', type: StorageCheck, componentType: 'system', byDefault: () => true },
  {
    name: 'email',
    type: EmailCheck,
    paid: true,
    componentType: 'component',
    byDefault: (config) => config.enablePaidChecks,
  },
  { name: 'http', type: HttpCheck, componentType: 'component', byDefault: (config) => config.http.size > 0 },
  { name: 'disk', type: DiskCheck, componentType: 'system', byDefault: (config) => config.disk !== undefined },
  { name: 'memory', type: MemoryCheck, componentType: 'system', byDefault: (config) => config.memory !== undefined },
  { name: 'tls', type: TlsCheck, componentType: 'component', byDefault: (config) => config.tls.size > 0 },
  {
    name: 'microservices',
    type: MicroservicesCheck,
    componentType: 'component',
    byDefault: (_config, instance) => (instance as MicroservicesCheck).hasClients(),
  },
];
