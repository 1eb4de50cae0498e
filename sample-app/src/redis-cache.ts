import { Inject, Injectable, type OnModuleDestroy, Optional, type Provider } from '@nestjs/common';
import KeyvRedis from '@keyv/redis';
import { type Cache, createCache } from 'cache-manager';
import { Keyv } from 'keyv';

/** The token of the Redis-backed cache (named `redis` in watchman's `cacheTokens`). */
export const REDIS_CACHE = 'REDIS_CACHE';

// A polite close waits for every pending command: never longer than this at shutdown.
const CLOSE_TIMEOUT_MS = 2000;

/** The Redis cache, when REDIS_URL is set. */
export function redisCacheProviders(url: URL | undefined): Provider[] {
  if (!url) return [];
  return [
    {
      provide: REDIS_CACHE,
      useFactory: () =>
        createCache({ stores: [new Keyv({ store: new KeyvRedis(url.href, { throwOnConnectError: false }) })] }),
    },
    RedisCacheCloser,
  ];
}

/** Closes the Redis connection with the app (Nest only closes what its own modules opened), within a bound. */
@Injectable()
class RedisCacheCloser implements OnModuleDestroy {
  constructor(@Optional() @Inject(REDIS_CACHE) private readonly cache?: Cache) {}

  async onModuleDestroy(): Promise<void> {
    if (!this.cache) return;
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      this.cache.disconnect().then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CLOSE_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (closed) return;
    // Still waiting on a Redis that does not answer: drop the connection.
    for (const store of this.cache.stores)
      await (store.store as KeyvRedis<unknown>).disconnect?.(true).catch(() => undefined);
  }
}
