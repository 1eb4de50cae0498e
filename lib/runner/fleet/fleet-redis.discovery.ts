import type { InjectionToken } from '@nestjs/common';
import type { DiscoveryService, ModuleRef } from '@nestjs/core';
import { CACHE_MANAGER } from '../../checks/caches.check.js';
import type { KeyvLike } from '../../checks/cache/keyv-probe.js';
import { type RedisClientLike, redisClientOf } from '../../checks/cache/redis-probe.js';
import { discoveredProviders } from '../../checks/discovered-providers.js';
import { clientName } from '../../checks/microservices/client-proxy.like.js';
import { isIoRedisClient } from '../../options/option-schemas.js';
import type { FleetRedisSource } from './fleet-redis.connection.js';

/**
 * The app's own Redis, found as the checks find what they check: an ioredis client the app
 * provides, else the Redis tier of one of its caches (`CACHE_MANAGER` and `cacheTokens`, in
 * that order), whose node-redis options become an ioredis connection's.
 */
export function findAppRedis(
  discovery: DiscoveryService,
  moduleRef: ModuleRef,
  cacheTokens: ReadonlyMap<string, InjectionToken>,
): FleetRedisSource | undefined {
  const [provided] = discoveredProviders(discovery, isIoRedisClient, clientName);
  if (provided) return { client: provided[1], described: `the app's ioredis provider ${provided[0]}` };
  for (const [name, token] of [['default', CACHE_MANAGER] as const, ...cacheTokens]) {
    const tiers = (resolve(moduleRef, token) as { stores?: KeyvLike[] } | undefined)?.stores ?? [];
    for (const tier of tiers) {
      const client = redisClientOf(tier.opts?.store ?? tier.store);
      if (client) return { options: ioredisOptions(client), described: `the Redis of cache "${name}"` };
    }
  }
  return undefined;
}

const TLS_KEYS = ['ca', 'cert', 'key', 'passphrase', 'pfx', 'servername', 'rejectUnauthorized'];

/** node-redis client options (`@keyv/redis`) as ioredis takes them: address, TLS, database, credentials. */
function ioredisOptions(client: RedisClientLike): Record<string, unknown> {
  const given = (client.options ?? {}) as { database?: number; username?: string; password?: string };
  const socket = (client.options?.socket ?? {}) as Record<string, unknown>;
  const { host, port, path, tls } = socket;
  const tlsOptions = Object.fromEntries(
    TLS_KEYS.filter((key) => socket[key] !== undefined).map((key) => [key, socket[key]]),
  );
  return {
    ...(typeof path === 'string' ? { path } : { host: host ?? 'localhost', port: port ?? 6379 }),
    ...(tls ? { tls: tlsOptions } : {}),
    db: given.database ?? 0,
    username: given.username,
    password: given.password,
  };
}

function resolve(moduleRef: ModuleRef, token: InjectionToken): unknown {
  try {
    return moduleRef.get(token, { strict: false });
  } catch {
    return undefined;
  }
}
