import type { InjectionToken } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { probeCache } from './cache/cache-probe.js';
import { RedisProbeConnections } from './cache/redis-probe.js';
import type { WatchmanMultiCheckable } from './check.interface.js';

// @nestjs/cache-manager's CACHE_MANAGER token (a plain string, so the package stays optional).
export const CACHE_MANAGER = 'CACHE_MANAGER';

/**
 * `caches`: set a random namespaced key, read it back and compare, delete it, on every
 * cache-manager cache (or the `caches` subset); each store of a multi-tier cache on its own.
 * `CACHE_MANAGER` is `default`; other caches are named with the `cacheTokens` option.
 */
/** The `caches` check's own settings. */
export interface CachesCheckSettings {
  /** The subset to check (WATCHMAN_CACHES); every cache that resolves by default. */
  names?: readonly string[];
  /** Caches beyond `CACHE_MANAGER`: name → injection token (`cacheTokens`). */
  tokens: ReadonlyMap<string, InjectionToken>;
}

export class CachesCheck implements WatchmanMultiCheckable {
  private readonly redisProbes = new RedisProbeConnections();

  constructor(
    private readonly settings: CachesCheckSettings,
    private readonly moduleRef: ModuleRef,
  ) {}

  aliases(): string[] {
    if (this.settings.names) return [...this.settings.names];
    return [...this.tokens()].filter(([, token]) => this.resolve(token) !== undefined).map(([name]) => name);
  }

  async checkAlias(alias: string, signal: AbortSignal): Promise<Record<string, unknown> | void> {
    const token = this.tokens().get(alias);
    const cache = token === undefined ? undefined : this.resolve(token);
    if (cache === undefined)
      throw new Error(`no cache named ${JSON.stringify(alias)} (name caches with the cacheTokens option)`);
    return probeCache(cache, signal, this.redisProbes);
  }

  /** Destroys the probe connections kept between runs. */
  close(): void {
    this.redisProbes.closeAll();
  }

  private tokens(): Map<string, InjectionToken> {
    return new Map<string, InjectionToken>([['default', CACHE_MANAGER], ...this.settings.tokens]);
  }

  private resolve(token: InjectionToken): unknown {
    try {
      return this.moduleRef.get(token, { strict: false });
    } catch {
      return undefined;
    }
  }
}
