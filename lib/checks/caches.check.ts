import { Inject, Injectable, type InjectionToken } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { WatchmanConfig } from '../options/watchman-config.js';
import { WATCHMAN_CONFIG } from '../watchman.constants.js';
import { probeCache } from './cache/cache-probe.js';
import type { WatchmanMultiCheckable } from './check.interface.js';

// @nestjs/cache-manager's CACHE_MANAGER token (a plain string, so the package stays optional).
const CACHE_MANAGER = 'CACHE_MANAGER';

/**
 * `caches`: set a random namespaced key, read it back and compare, delete it, on every
 * cache-manager cache (or the `caches` subset); each store of a multi-tier cache on its own.
 * `CACHE_MANAGER` is `default`; other caches are named with the `cacheTokens` option.
 */
@Injectable()
export class CachesCheck implements WatchmanMultiCheckable {
  constructor(
    private readonly moduleRef: ModuleRef,
    @Inject(WATCHMAN_CONFIG) private readonly config: WatchmanConfig,
  ) {}

  aliases(): string[] {
    if (this.config.caches) return this.config.caches;
    return [...this.tokens()].filter(([, token]) => this.resolve(token) !== undefined).map(([name]) => name);
  }

  async checkAlias(alias: string, signal: AbortSignal): Promise<Record<string, unknown> | void> {
    const token = this.tokens().get(alias);
    const cache = token === undefined ? undefined : this.resolve(token);
    if (cache === undefined)
      throw new Error(`no cache named ${JSON.stringify(alias)} (name caches with the cacheTokens option)`);
    return probeCache(cache, signal);
  }

  private tokens(): Map<string, InjectionToken> {
    return new Map<string, InjectionToken>([['default', CACHE_MANAGER], ...this.config.cacheTokens]);
  }

  private resolve(token: InjectionToken): unknown {
    try {
      return this.moduleRef.get(token, { strict: false });
    } catch {
      return undefined;
    }
  }
}
